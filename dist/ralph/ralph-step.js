// One decision of the single-job loop (ralph_step): launch the next attempt, wait, end an attempt and
// decide what follows (a safe automatic fix, a plain retry, or a stop), or report that the loop stopped.
// The state is rebuilt from outputs/ralph_diagnoses.jsonl every time, so a crashed loop resumes.
// SkyPilot not answering is never a job failure: the step records the outage (as the grid's supervisor
// does), waits, and the next step picks up where it left off.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { analyzeJob } from '../diagnosis/analyze-job.js';
import { redact } from '../redaction/redact.js';
import { launchOutcomeUnknown, waitForOrphanLaunches } from '../factorial/launch-intents.js';
import { isTerminal } from '../sky/job-status.js';
import { SkyError } from '../sky/sky-errors.js';
import { outageError, outageExceeded, waitedForResources } from '../supervisor/decisions.js';
import { readPrintedRun } from '../tracking/read-tracking.js';
import { runUrlInLine } from '../tracking/run-metrics.js';
import { JOB_NAME_RULE } from '../sky/sky-cli.js';
import { outputsPath } from '../store/experiment-store.js';
import { withFileLock } from '../store/file-lock.js';
import { InvalidExperimentIdError } from '../store/store-errors.js';
import { appendJsonl, readJsonl } from '../store/jsonl-log.js';
import { applyAutoFix } from './auto-fixes.js';
import { RALPH_EVENT_SCHEMA_VERSION, RalphEventSchema } from './ralph-events.js';
import { readTaskFile } from '../factorial/task-file.js';
import { noOverrides, writeTaskCopy } from './task-copy.js';
export function reduceRalphEvents(run, events) {
    const state = {
        run, started: false, attempts: [], inFlight: null, failuresByCategory: {}, cost_usd: 0, next: noOverrides(), stopped: null, outageSince: null, launchUnknown: null, launching: [],
    };
    for (const e of events) {
        if (e.run !== run)
            continue;
        if (e.type === 'run_started')
            state.started = true;
        if (e.type === 'attempt_started') {
            state.attempts.push({ started: e, ended: null });
            state.inFlight = e;
            state.launchUnknown = null;
            state.launching = [];
        }
        if (e.type === 'launch_started')
            state.launching.push(e);
        if (e.type === 'launch_unknown') {
            state.launchUnknown = e;
            state.launching = [];
        }
        if (e.type === 'sky_unavailable')
            state.outageSince = e.since;
        if (e.type === 'sky_recovered')
            state.outageSince = null;
        if (e.type === 'attempt_ended') {
            const a = state.attempts.find((x) => x.started.attempt === e.attempt);
            if (a)
                a.ended = e;
            state.inFlight = null;
            state.cost_usd = round2(state.cost_usd + e.cost_usd);
            if (e.diagnosis)
                state.failuresByCategory[e.diagnosis.category] = (state.failuresByCategory[e.diagnosis.category] ?? 0) + 1;
            if (e.next_overrides)
                state.next = e.next_overrides;
        }
        if (e.type === 'run_stopped') {
            state.stopped = e;
            state.launchUnknown = null;
            state.launching = [];
        }
    }
    return state;
}
/**
 * The run's name: --name, else the task's name, else the task file's name. It names files under outputs/
 * and prefixes job names, so it must satisfy SkyPilot's name rule (a task's `name: ../x` is refused).
 */
export function runName(settings, task = readTaskFile(settings.task_yaml)) {
    const name = settings.name ?? task.name ?? basename(settings.task_yaml).replace(/\.[^.]*$/, '').replace(/[^a-zA-Z0-9-]+/g, '-');
    if (!JOB_NAME_RULE.test(name)) {
        throw new InvalidExperimentIdError(`invalid run name ${JSON.stringify(name)} (from ${settings.name !== undefined ? 'name' : task.name !== undefined ? `the name: of ${settings.task_yaml}` : 'the task file name'}): ` +
            `it must match SkyPilot's name rule ${JOB_NAME_RULE.source}`);
    }
    return name;
}
export const ralphLogPath = (outputsDir) => join(outputsDir, 'ralph_diagnoses.jsonl');
const round2 = (x) => Math.round(x * 100) / 100;
const ONE_LINE = 400;
/** `signal`: a step that gets the run's lock after it aborted does nothing (a cancelled wait never acts late). */
export async function ralphStep(settings, ctx, signal) {
    mkdirSync(ctx.outputsDir, { recursive: true });
    const log = ralphLogPath(ctx.outputsDir);
    const task = readTaskFile(settings.task_yaml);
    const run = runName(settings, task);
    // One step at a time per run, across processes (an agent and `skyloop ralph run` must not both launch).
    return withFileLock(outputsPath(ctx.outputsDir, `ralph_${run}`), async () => {
        const state = reduceRalphEvents(run, readJsonl(log, RalphEventSchema));
        const emit = (e) => appendJsonl(log, [{ schema_version: RALPH_EVENT_SCHEMA_VERSION, ts: ctx.now().toISOString(), run, ...e }]);
        const result = (action, detail, extra = {}) => ({
            action, detail, run, attempt: state.inFlight?.attempt ?? state.attempts.at(-1)?.started.attempt ?? null,
            job_id: state.inFlight?.job_id ?? null, status: null, cost_usd: state.cost_usd, stopped: null, sky_unavailable: null, ...extra,
        });
        const stop = (outcome, reason, issue_draft = null) => {
            emit({ type: 'run_stopped', outcome, reason, attempts: state.attempts.length, cost_usd: state.cost_usd, issue_draft });
            return result('stopped', reason, { stopped: { outcome, reason, issue_draft } });
        };
        if (signal?.aborted)
            return result('waiting', 'cancelled before this step acted');
        if (state.stopped) {
            return result('stopped', state.stopped.reason, { stopped: { outcome: state.stopped.outcome, reason: state.stopped.reason, issue_draft: state.stopped.issue_draft } });
        }
        if (!state.started) {
            emit({ type: 'run_started', settings: { ...settings } });
            state.started = true;
        }
        const nowMs = ctx.clockMs ?? (() => ctx.now().getTime());
        const sky = {
            // Each answer from SkyPilot ends an outage first, so the record reads in the order things happened.
            answered: () => {
                if (state.outageSince === null)
                    return;
                emit({ type: 'sky_recovered', since: state.outageSince, down_s: Math.max(0, Math.round((nowMs() - Date.parse(state.outageSince)) / 1000)) });
                state.outageSince = null;
            },
            down: (e) => {
                const { error } = outageError(e.message);
                const since = state.outageSince ?? new Date(nowMs()).toISOString();
                emit({ type: 'sky_unavailable', command: e.command, error, since, first: state.outageSince === null });
                state.outageSince = since;
                const exceeded = outageExceeded(since, nowMs(), settings.outage_window_s);
                const detail = `SkyPilot is not answering since ${since.slice(11, 16)} (${e.command}: ${error}); ${exceeded ? `longer than the ${Math.round(settings.outage_window_s / 60)}-min outage window` : 'the loop tries again'}`;
                return result('waiting', detail, { sky_unavailable: { command: e.command, error, since, exceeded } });
            },
            queue: async () => {
                try {
                    const q = await ctx.sky.queue();
                    sky.answered();
                    return q.records;
                }
                catch (e) {
                    if (e instanceof SkyError)
                        return sky.down(e);
                    throw e;
                }
            },
        };
        if (state.inFlight)
            return watchAttempt(state.inFlight, state, task, settings, ctx, { emit, result, stop, sky });
        if (state.launchUnknown)
            return settleLaunch(state.launchUnknown, run, state, task, settings, ctx, { emit, result, stop, sky }, nowMs());
        if (state.launching.length > 0)
            return settleKilledLaunch(state.launching, run, state, task, settings, ctx, { emit, result, stop, sky }, nowMs());
        return launchAttempt(run, state, task, settings, ctx, { emit, result, stop, sky });
    });
}
const ANSWERED = (r) => Array.isArray(r);
/**
 * What follows a launch that did not report its outcome when the queue does not show the job: SkyPilot was
 * never reached (connection refused), so launch again; it timed out or printed no id, so the job may still
 * appear; or SkyPilot refused it.
 */
function unknownLaunchRetry(e) {
    if (e.details.exceptionClass === 'ApiServerConnectionError')
        return 'relaunch';
    if (e.kind === 'command_failed' && e.details.exceptionClass !== undefined)
        return 'stop';
    return 'wait';
}
/** The queue shows the job of a launch that did not report (adopt it), or settles what to do instead. */
async function settleLaunch(u, run, state, task, settings, ctx, io, nowMs) {
    const records = await io.sky.queue();
    if (!ANSWERED(records))
        return records;
    const found = records.filter((r) => r.job_name === u.job_name && r.task_id === 0).sort((a, b) => b.job_id - a.job_id)[0];
    if (found)
        return launchAttempt(run, state, task, settings, ctx, io, { job_id: found.job_id, why: `found in the queue after the launch reported: ${u.error}` });
    if (u.retry === 'relaunch')
        return launchAttempt(run, state, task, settings, ctx, io);
    if (u.retry === 'wait' && !outageExceeded(u.ts, nowMs, settings.outage_window_s)) {
        return io.result('waiting', `attempt ${u.attempt}: sky jobs launch did not say whether it submitted ${u.job_name} (${u.error}); waiting for the queue to show it`);
    }
    return io.stop('launch_failed', `sky jobs launch failed: ${u.error}`);
}
/**
 * A step was killed while its `sky jobs launch` ran: wait for that launch to end (it may still submit), then
 * let the queue settle it by the job's name, so the attempt is adopted instead of launched twice.
 */
async function settleKilledLaunch(started, run, state, task, settings, ctx, io, nowMs) {
    const last = started.at(-1);
    await waitForOrphanLaunches(started.map((e) => e.pid), new Set([launchMarker(ctx.outputsDir, last.job_name)]), ctx.orphanWaitMs ?? 10 * 60_000);
    const killed = { ...last, type: 'launch_unknown', error: 'the step that ran sky jobs launch was interrupted', retry: 'relaunch' };
    return settleLaunch(killed, run, state, task, settings, ctx, io, nowMs);
}
/** Identifies one attempt's launch among the machine's processes. */
const launchMarker = (outputsDir, jobName) => `${ralphLogPath(outputsDir)}#${jobName}`;
async function launchAttempt(run, state, task, settings, ctx, io, adopt) {
    const { stop, result, emit } = io;
    if (!adopt && state.attempts.length >= settings.max_attempts)
        return stop('max_attempts', `${state.attempts.length} attempts made, the most allowed (--max-attempts)`);
    const overrides = state.next;
    const gpu = overrides.gpus ?? task.accelerators;
    const spot = overrides.use_spot ?? task.use_spot;
    const rate = settings.hourly_rate_usd ?? (await ctx.hourlyRate(gpu, spot));
    if (rate === null)
        return stop('launch_failed', `no price known for ${gpu ?? 'the task resources'}${spot ? ' (spot)' : ''}: give --hourly-rate`);
    const expected = round2(settings.expected_hours * rate * task.num_nodes);
    if (!adopt && state.cost_usd + expected > settings.budget_usd) {
        return stop('budget', `spent $${state.cost_usd.toFixed(2)}; another attempt is expected to cost $${expected.toFixed(2)}, past the $${settings.budget_usd.toFixed(2)} budget`);
    }
    const attempt = state.attempts.length + 1;
    const jobName = `${run}-a${attempt}`;
    const copy = outputsPath(ctx.outputsDir, join('ralph', run, `attempt-${attempt}.sky.yaml`));
    let jobId;
    if (adopt) {
        jobId = adopt.job_id;
    }
    else {
        writeTaskCopy(settings.task_yaml, overrides, copy);
        // Written before the spawn: a kill between spawn and the pid record leaves the marker to find.
        emit({ type: 'launch_started', attempt, job_name: jobName, pid: null });
        try {
            const marker = launchMarker(ctx.outputsDir, jobName);
            jobId = (await ctx.sky.launch(copy, { name: jobName, marker, onSpawn: (pid) => emit({ type: 'launch_started', attempt, job_name: jobName, pid: pid ?? null }) })).job_id;
            io.sky.answered();
        }
        catch (e) {
            if (!(e instanceof SkyError) || !launchOutcomeUnknown(e))
                return stop('launch_failed', `sky jobs launch failed: ${e.message}`);
            // Not a failure of the job: the next step asks the queue whether the job exists before anything else.
            emit({ type: 'launch_unknown', attempt, job_name: jobName, error: outageError(e.message).error, retry: unknownLaunchRetry(e) });
            return io.sky.down(e);
        }
    }
    const infra = overrides.infra ?? task.infra;
    emit({
        type: 'attempt_started', attempt, job_id: jobId, job_name: jobName, task_copy: copy, overrides,
        cloud: infra?.split('/')[0] ?? null, region: infra?.split('/')[1] ?? null, gpu, hourly_rate: rate, start_time: ctx.now().toISOString(),
    });
    return result('launched', `attempt ${attempt}: ${adopt ? `job ${jobId} (${jobName}) ${adopt.why}` : `launched job ${jobId} (${jobName})`}${describeOverrides(overrides)}`, { attempt, job_id: jobId });
}
/** `GCP (us-central1)` or `gcp/us-central1` → `gcp/us-central1`. */
function normalInfra(infra) {
    if (infra === null || infra === '-')
        return null;
    const m = /^(\w+)\s*\(([^),\s]+)/.exec(infra);
    return (m ? `${m[1]}/${m[2]}` : infra).toLowerCase();
}
function describeOverrides(o) {
    const parts = [o.infra && `infra ${o.infra}`, o.gpus && `gpus ${o.gpus}`, o.use_spot === false && 'on-demand', o.disk_size && `disk ${o.disk_size} GB`, ...Object.entries(o.env).map(([k, v]) => `${k}=${v}`)].filter(Boolean);
    return parts.length ? ` with ${parts.join(', ')}` : '';
}
async function watchAttempt(a, state, task, settings, ctx, io) {
    const { emit, result, stop } = io;
    const records = await io.sky.queue();
    if (!ANSWERED(records))
        return records;
    const record = records.find((r) => r.job_id === a.job_id && r.task_id === 0);
    if (!record)
        return stop('launch_failed', `job ${a.job_id} of attempt ${a.attempt} is no longer in the queue`);
    const now = ctx.now();
    // Waiting is measured on SkyPilot's own submitted time, with the grid supervisor's rule.
    const submittedMs = record.submitted_at === null ? Date.parse(a.start_time) : record.submitted_at * 1000;
    const waitedS = waitedForResources(record.status, submittedMs, now.getTime(), settings.stuck_after_s);
    const spot = a.overrides.use_spot ?? task.use_spot;
    let synthetic = null;
    /** Regions the controller log says SkyPilot tried (a job placed by SkyPilot shows no infra while it waits). */
    let triedRegions = [];
    if (!isTerminal(record.status)) {
        if (waitedS !== null) {
            const log = await controllerLog(a.job_id, record, ctx);
            triedRegions = log.regions;
            synthetic = {
                category: log.category ?? 'GPU_SOLD_OUT',
                evidence: `still ${record.status} after ${Math.round(waitedS / 60)} min: ${log.line ?? `no capacity for ${a.gpu ?? 'the task'} in ${a.cloud ?? '?'}/${a.region ?? '?'}`}`.slice(0, ONE_LINE),
            };
        }
        else if (spot && record.recovery_count > settings.preemptions_before_on_demand) {
            synthetic = { category: 'SPOT_PREEMPTION', evidence: `preempted ${record.recovery_count} times on spot` };
        }
        else {
            return result('waiting', `attempt ${a.attempt}: job ${a.job_id} is ${record.status}${record.recovery_count ? ` (${record.recovery_count} recoveries)` : ''}`, { status: record.status });
        }
        try {
            await ctx.sky.cancel([a.job_id]);
        }
        catch (e) {
            if (e instanceof SkyError)
                return io.sky.down(e); // the next step finds the job still stuck and cancels again
            throw e;
        }
    }
    // The attempt is over (or given up on): cost, diagnosis, decision.
    const duration = record.job_duration_s ?? 0;
    const cost = round2((duration / 3600) * a.hourly_rate * task.num_nodes);
    const end = { type: 'attempt_ended', attempt: a.attempt, job_id: a.job_id, cloud: a.cloud, region: a.region, gpu: a.gpu, hourly_rate: a.hourly_rate, start_time: a.start_time, end_time: now.toISOString(), duration_s: duration, cost_usd: cost, recovery_count: record.recovery_count, tracking_url: null, tracking: null };
    state.cost_usd = round2(state.cost_usd + cost);
    if (record.status === 'SUCCEEDED') {
        const tracking = await trackingUrl(a.job_id, ctx);
        const run = tracking ? await readPrintedRun(tracking, process.env) : null;
        emit({ ...end, status: 'SUCCEEDED', diagnosis: null, fix_applied: null, next_overrides: null, tracking_url: tracking, tracking: run });
        return stop('succeeded', `attempt ${a.attempt} succeeded (job ${a.job_id}) after ${state.attempts.length} attempt(s), $${state.cost_usd.toFixed(2)}${tracking ? `; run: ${tracking}` : ''}`);
    }
    if (record.status === 'CANCELLED' && !synthetic) {
        emit({ ...end, status: 'CANCELLED', diagnosis: null, fix_applied: null, next_overrides: null });
        return stop('needs_change', `job ${a.job_id} was cancelled from outside the loop`);
    }
    let diagnosis;
    if (synthetic) {
        const c = ctx.library.byName.get(synthetic.category);
        diagnosis = { category: c.id, confidence: 'high', fixability: c.fixability, fingerprint: `${c.id}:${synthetic.evidence.replace(/\d+/g, '<n>')}`, evidence: synthetic.evidence };
    }
    else {
        let analysis;
        try {
            analysis = await analyzeJob(a.job_id, ctx.sky, ctx.library, { status: record.status, failure_reason: record.failure_reason });
        }
        catch (e) {
            if (!(e instanceof SkyError))
                throw e;
            // An unreadable log is not a diagnosis: the next step reads it again (never a permanent UNKNOWN).
            const error = outageError(e.message).error;
            emit({ type: 'diagnosis_deferred', attempt: a.attempt, job_id: a.job_id, error });
            return result('waiting', `attempt ${a.attempt}: job ${a.job_id} is ${record.status}; its log could not be read (${error}), diagnosed on the next step`, { status: record.status });
        }
        diagnosis = { category: analysis.category, confidence: analysis.confidence, fixability: analysis.fixability, fingerprint: analysis.fingerprint, evidence: analysis.evidence[0]?.line.slice(0, ONE_LINE) ?? null };
    }
    const category = ctx.library.byName.get(diagnosis.category);
    const failures = (state.failuresByCategory[category.id] ?? 0) + 1;
    const status = synthetic ? `${record.status} (given up: ${category.id})` : record.status;
    const ended = (fix, next) => emit({ ...end, status, diagnosis, fix_applied: fix, next_overrides: next });
    if (category.fixability === 'unrecoverable') {
        ended(null, null);
        const draft = writeIssueDraft(ctx.outputsDir, state.run, a, diagnosis, category.fix_strategy);
        return stop('unrecoverable', `${category.id} cannot be fixed by a retry: ${category.fix_strategy}`, draft);
    }
    if (failures > settings.max_retries_per_category) {
        ended(null, null);
        return stop('retries_exhausted', `${category.id} failed ${failures} times; ${settings.max_retries_per_category} retries is the limit. Evidence: ${diagnosis.evidence ?? '-'}`);
    }
    if (category.auto_fix) {
        // Rotation goes to the next untried infra: never where this attempt ran, nor where an earlier one did.
        const listedInRegion = settings.infra.filter((i) => triedRegions.includes(i.split('/')[1]?.toLowerCase() ?? ''));
        const tried = [...state.attempts.flatMap((x) => [x.started.overrides.infra, x.started.cloud && x.started.region ? `${x.started.cloud}/${x.started.region}` : null]), a.cloud && a.region ? `${a.cloud}/${a.region}` : null, normalInfra(record.infra), ...listedInRegion];
        const fix = applyAutoFix(category.auto_fix, a.overrides, task, settings, tried.filter((t) => typeof t === 'string'));
        if ('impossible' in fix) {
            ended(null, null);
            return stop('needs_change', `${category.id}: ${fix.impossible}`);
        }
        ended({ kind: category.auto_fix, description: fix.description }, fix.overrides);
        return result('attempt_ended', `attempt ${a.attempt} failed with ${category.id}; next attempt: ${fix.description}`, { status });
    }
    if (category.fixability === 'transient') {
        ended({ kind: 'retry', description: 'transient failure: retry unchanged' }, a.overrides);
        return result('attempt_ended', `attempt ${a.attempt} failed with ${category.id} (transient); retrying unchanged (${failures} of ${settings.max_retries_per_category} retries)`, { status });
    }
    ended(null, null);
    return stop('needs_change', `${category.id} (${category.fixability}) has no automatic fix the single-job loop may apply: ${category.fix_strategy}`);
}
const TRIED_REGION = /Failed to acquire resources in all zones in ([a-z0-9-]+) for/;
/**
 * What the controller log says kept a job waiting: its category (no capacity, quota, …; null when the log
 * says nothing the library knows or cannot be read) and the regions SkyPilot's provisioner tried
 * (sky/backends/cloud_vm_ray_backend.py: "Failed to acquire resources in all zones in <region> for …").
 */
async function controllerLog(jobId, record, ctx) {
    try {
        // The queue's failure_reason is evidence too (SkyPilot's own verdict, when it gave one).
        const a = await analyzeJob(jobId, ctx.sky, ctx.library, { status: record.status, failure_reason: record.failure_reason });
        const lines = a.evidence.flatMap((e) => [...e.before, e.line, ...e.after]);
        const regions = [...new Set(lines.flatMap((l) => TRIED_REGION.exec(l)?.[1] ?? []))];
        return { category: a.category === 'UNKNOWN' ? null : a.category, line: a.evidence[0]?.line ?? null, regions };
    }
    catch {
        return { category: null, line: null, regions: [] };
    }
}
/** The experiment-tracking run URL the job printed (MLflow's "View run … at: <url>"), if any. */
async function trackingUrl(jobId, ctx) {
    let url = null;
    try {
        await ctx.sky.logs(jobId, { tail: 0, onLine: (line) => {
                url = runUrlInLine(line) ?? url;
            } });
    }
    catch {
        /* no log: no URL */
    }
    return url;
}
function writeIssueDraft(outputsDir, run, a, d, fix) {
    const dir = join(outputsDir, 'issues');
    mkdirSync(dir, { recursive: true });
    const path = outputsPath(outputsDir, join('issues', `ralph-${run}-${d.category}.md`));
    writeFileSync(path, redact([
        `# ${run}: ${d.category} stops the training job`,
        '',
        `labels: skyloop, training-failure`,
        '',
        `Attempt ${a.attempt} (managed job ${a.job_id}, ${a.cloud ?? '?'}/${a.region ?? '?'}, ${a.gpu ?? 'default resources'}) failed with **${d.category}** (confidence ${d.confidence}); a retry cannot fix it (${d.fixability}).`,
        '',
        '## Evidence',
        '',
        '```',
        d.evidence ?? '(no evidence line)',
        '```',
        '',
        '## What to change',
        '',
        fix,
        '',
        `Reproduce: \`sky jobs logs ${a.job_id}\`; task copy: \`${a.task_copy}\`.`,
        '',
    ].join('\n')));
    return path;
}
