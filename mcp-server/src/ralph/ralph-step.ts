// One decision of the single-job loop (ralph_step): launch the next attempt, wait, end an attempt and
// decide what follows (a safe automatic fix, a plain retry, or a stop), or report that the loop stopped.
// The state is rebuilt from outputs/ralph_diagnoses.jsonl every time, so a crashed loop resumes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { analyzeJob } from '../diagnosis/analyze-job.js';
import type { PatternLibrary } from '../diagnosis/pattern-library.js';
import { redact } from '../redaction/redact.js';
import type { SkyPort } from '../factorial/factorial-context.js';
import type { HourlyRate } from '../pricing/catalog-price.js';
import { isTerminal } from '../sky/job-status.js';
import { readPrintedRun, type PrintedRun } from '../tracking/read-tracking.js';
import { runUrlInLine } from '../tracking/run-metrics.js';
import { JOB_NAME_RULE } from '../sky/sky-cli.js';
import { outputsPath } from '../store/experiment-store.js';
import { withFileLock } from '../store/file-lock.js';
import { InvalidExperimentIdError } from '../store/store-errors.js';
import { appendJsonl, readJsonl } from '../store/jsonl-log.js';
import { applyAutoFix } from './auto-fixes.js';
import { RALPH_EVENT_SCHEMA_VERSION, RalphEventSchema, type Overrides, type RalphEvent, type RalphEventPayload } from './ralph-events.js';
import type { RalphSettings } from './ralph-settings.js';
import { readTaskFile, type TaskInfo } from '../factorial/task-file.js';
import { noOverrides, writeTaskCopy } from './task-copy.js';

export interface RalphContext {
  sky: SkyPort;
  outputsDir: string;
  now: () => Date;
  library: PatternLibrary;
  /** $/hour of the GPU on spot or on-demand (catalog prices), or null when unknown. */
  hourlyRate: HourlyRate;
}

type Started = Extract<RalphEvent, { type: 'attempt_started' }>;
type Ended = Extract<RalphEvent, { type: 'attempt_ended' }>;
type Stopped = Extract<RalphEvent, { type: 'run_stopped' }>;

export interface RalphState {
  run: string;
  started: boolean;
  attempts: { started: Started; ended: Ended | null }[];
  inFlight: Started | null;
  failuresByCategory: Record<string, number>;
  cost_usd: number;
  next: Overrides;
  stopped: Stopped | null;
}

export function reduceRalphEvents(run: string, events: RalphEvent[]): RalphState {
  const state: RalphState = { run, started: false, attempts: [], inFlight: null, failuresByCategory: {}, cost_usd: 0, next: noOverrides(), stopped: null };
  for (const e of events) {
    if (e.run !== run) continue;
    if (e.type === 'run_started') state.started = true;
    if (e.type === 'attempt_started') {
      state.attempts.push({ started: e, ended: null });
      state.inFlight = e;
    }
    if (e.type === 'attempt_ended') {
      const a = state.attempts.find((x) => x.started.attempt === e.attempt);
      if (a) a.ended = e;
      state.inFlight = null;
      state.cost_usd = round2(state.cost_usd + e.cost_usd);
      if (e.diagnosis) state.failuresByCategory[e.diagnosis.category] = (state.failuresByCategory[e.diagnosis.category] ?? 0) + 1;
      if (e.next_overrides) state.next = e.next_overrides;
    }
    if (e.type === 'run_stopped') state.stopped = e;
  }
  return state;
}

export type StepAction = 'started' | 'launched' | 'waiting' | 'attempt_ended' | 'stopped';

export interface StepResult {
  action: StepAction;
  /** What the step did, in one sentence. */
  detail: string;
  run: string;
  attempt: number | null;
  job_id: number | null;
  status: string | null;
  cost_usd: number;
  stopped: { outcome: Stopped['outcome']; reason: string; issue_draft: string | null } | null;
}

/**
 * The run's name: --name, else the task's name, else the task file's name. It names files under outputs/
 * and prefixes job names, so it must satisfy SkyPilot's name rule (a task's `name: ../x` is refused).
 */
export function runName(settings: RalphSettings, task: TaskInfo = readTaskFile(settings.task_yaml)): string {
  const name = settings.name ?? task.name ?? basename(settings.task_yaml).replace(/\.[^.]*$/, '').replace(/[^a-zA-Z0-9-]+/g, '-');
  if (!JOB_NAME_RULE.test(name)) {
    throw new InvalidExperimentIdError(
      `invalid run name ${JSON.stringify(name)} (from ${settings.name !== undefined ? 'name' : task.name !== undefined ? `the name: of ${settings.task_yaml}` : 'the task file name'}): ` +
        `it must match SkyPilot's name rule ${JOB_NAME_RULE.source}`,
    );
  }
  return name;
}

export const ralphLogPath = (outputsDir: string) => join(outputsDir, 'ralph_diagnoses.jsonl');
const round2 = (x: number) => Math.round(x * 100) / 100;
const ONE_LINE = 400;

export async function ralphStep(settings: RalphSettings, ctx: RalphContext): Promise<StepResult> {
  mkdirSync(ctx.outputsDir, { recursive: true });
  const log = ralphLogPath(ctx.outputsDir);
  const task = readTaskFile(settings.task_yaml);
  const run = runName(settings, task);
  // One step at a time per run, across processes (an agent and `skyloop ralph run` must not both launch).
  return withFileLock(outputsPath(ctx.outputsDir, `ralph_${run}`), async () => {
    const state = reduceRalphEvents(run, readJsonl(log, RalphEventSchema));
    const emit = (e: RalphEventPayload) =>
      appendJsonl(log, [{ schema_version: RALPH_EVENT_SCHEMA_VERSION, ts: ctx.now().toISOString(), run, ...e }]);
    const result = (action: StepAction, detail: string, extra: Partial<StepResult> = {}): StepResult => ({
      action, detail, run, attempt: state.inFlight?.attempt ?? state.attempts.at(-1)?.started.attempt ?? null,
      job_id: state.inFlight?.job_id ?? null, status: null, cost_usd: state.cost_usd, stopped: null, ...extra,
    });
    const stop = (outcome: Stopped['outcome'], reason: string, issue_draft: string | null = null): StepResult => {
      emit({ type: 'run_stopped', outcome, reason, attempts: state.attempts.length, cost_usd: state.cost_usd, issue_draft });
      return result('stopped', reason, { stopped: { outcome, reason, issue_draft } });
    };

    if (state.stopped) {
      return result('stopped', state.stopped.reason, { stopped: { outcome: state.stopped.outcome, reason: state.stopped.reason, issue_draft: state.stopped.issue_draft } });
    }
    if (!state.started) {
      emit({ type: 'run_started', settings: { ...settings } });
      state.started = true;
    }
    if (state.inFlight) return watchAttempt(state.inFlight, state, task, settings, ctx, emit, result, stop);
    return launchAttempt(run, state, task, settings, ctx, emit, result, stop);
  });
}

type Emit = (e: RalphEventPayload) => void;
type Result = (action: StepAction, detail: string, extra?: Partial<StepResult>) => StepResult;
type Stop = (outcome: Stopped['outcome'], reason: string, issue_draft?: string | null) => StepResult;

async function launchAttempt(run: string, state: RalphState, task: TaskInfo, settings: RalphSettings, ctx: RalphContext, emit: Emit, result: Result, stop: Stop): Promise<StepResult> {
  if (state.attempts.length >= settings.max_attempts) return stop('max_attempts', `${state.attempts.length} attempts made, the most allowed (--max-attempts)`);
  const overrides = state.next;
  const gpu = overrides.gpus ?? task.accelerators;
  const spot = overrides.use_spot ?? task.use_spot;
  const rate = settings.hourly_rate_usd ?? (await ctx.hourlyRate(gpu, spot));
  if (rate === null) return stop('launch_failed', `no price known for ${gpu ?? 'the task resources'}${spot ? ' (spot)' : ''}: give --hourly-rate`);
  const expected = round2(settings.expected_hours * rate * task.num_nodes);
  if (state.cost_usd + expected > settings.budget_usd) {
    return stop('budget', `spent $${state.cost_usd.toFixed(2)}; another attempt is expected to cost $${expected.toFixed(2)}, past the $${settings.budget_usd.toFixed(2)} budget`);
  }
  const attempt = state.attempts.length + 1;
  const jobName = `${run}-a${attempt}`;
  const copy = outputsPath(ctx.outputsDir, join('ralph', run, `attempt-${attempt}.sky.yaml`));
  writeTaskCopy(settings.task_yaml, overrides, copy);
  let jobId: number;
  try {
    jobId = (await ctx.sky.launch(copy, { name: jobName })).job_id;
  } catch (e) {
    return stop('launch_failed', `sky jobs launch failed: ${(e as Error).message}`);
  }
  const infra = overrides.infra ?? task.infra;
  emit({
    type: 'attempt_started', attempt, job_id: jobId, job_name: jobName, task_copy: copy, overrides,
    cloud: infra?.split('/')[0] ?? null, region: infra?.split('/')[1] ?? null, gpu, hourly_rate: rate, start_time: ctx.now().toISOString(),
  });
  return result('launched', `attempt ${attempt}: launched job ${jobId} (${jobName})${describeOverrides(overrides)}`, { attempt, job_id: jobId });
}

/** `GCP (us-central1)` or `gcp/us-central1` → `gcp/us-central1`. */
function normalInfra(infra: string | null): string | null {
  if (infra === null || infra === '-') return null;
  const m = /^(\w+)\s*\(([^),\s]+)/.exec(infra);
  return (m ? `${m[1]}/${m[2]}` : infra).toLowerCase();
}

function describeOverrides(o: Overrides): string {
  const parts = [o.infra && `infra ${o.infra}`, o.gpus && `gpus ${o.gpus}`, o.use_spot === false && 'on-demand', o.disk_size && `disk ${o.disk_size} GB`, ...Object.entries(o.env).map(([k, v]) => `${k}=${v}`)].filter(Boolean);
  return parts.length ? ` with ${parts.join(', ')}` : '';
}

async function watchAttempt(a: Started, state: RalphState, task: TaskInfo, settings: RalphSettings, ctx: RalphContext, emit: Emit, result: Result, stop: Stop): Promise<StepResult> {
  const record = (await ctx.sky.queue()).records.find((r) => r.job_id === a.job_id && r.task_id === 0);
  if (!record) return stop('launch_failed', `job ${a.job_id} of attempt ${a.attempt} is no longer in the queue`);
  const now = ctx.now();
  // Waiting is measured on SkyPilot's own submitted time, the same clock as the factorial supervisor's.
  const waitedS = now.getTime() / 1000 - (record.submitted_at ?? Date.parse(a.start_time) / 1000);
  const spot = a.overrides.use_spot ?? task.use_spot;
  let synthetic: { category: string; evidence: string } | null = null;
  if (!isTerminal(record.status)) {
    if ((record.status === 'PENDING' || record.status === 'STARTING') && waitedS >= settings.stuck_after_s) {
      synthetic = { category: 'GPU_SOLD_OUT', evidence: `still ${record.status} after ${Math.round(waitedS / 60)} min: no capacity for ${a.gpu ?? 'the task'} in ${a.cloud ?? '?'}/${a.region ?? '?'}` };
    } else if (spot && record.recovery_count > settings.preemptions_before_on_demand) {
      synthetic = { category: 'SPOT_PREEMPTION', evidence: `preempted ${record.recovery_count} times on spot` };
    } else {
      return result('waiting', `attempt ${a.attempt}: job ${a.job_id} is ${record.status}${record.recovery_count ? ` (${record.recovery_count} recoveries)` : ''}`, { status: record.status });
    }
    await ctx.sky.cancel([a.job_id]);
  }

  // The attempt is over (or given up on): cost, diagnosis, decision.
  const duration = record.job_duration_s ?? 0;
  const cost = round2((duration / 3600) * a.hourly_rate * task.num_nodes);
  const end = { type: 'attempt_ended' as const, attempt: a.attempt, job_id: a.job_id, cloud: a.cloud, region: a.region, gpu: a.gpu, hourly_rate: a.hourly_rate, start_time: a.start_time, end_time: now.toISOString(), duration_s: duration, cost_usd: cost, recovery_count: record.recovery_count, tracking_url: null as string | null, tracking: null as PrintedRun | null };
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
  let diagnosis: NonNullable<Ended['diagnosis']>;
  if (synthetic) {
    const c = ctx.library.byName.get(synthetic.category)!;
    diagnosis = { category: c.id, confidence: 'high', fixability: c.fixability, fingerprint: `${c.id}:${synthetic.evidence.replace(/\d+/g, '<n>')}`, evidence: synthetic.evidence };
  } else {
    const analysis = await analyzeJob(a.job_id, ctx.sky, ctx.library, { status: record.status, failure_reason: record.failure_reason });
    diagnosis = { category: analysis.category, confidence: analysis.confidence, fixability: analysis.fixability, fingerprint: analysis.fingerprint, evidence: analysis.evidence[0]?.line.slice(0, ONE_LINE) ?? null };
  }
  const category = ctx.library.byName.get(diagnosis.category)!;
  const failures = (state.failuresByCategory[category.id] ?? 0) + 1;
  const status = synthetic ? `${record.status} (given up: ${category.id})` : record.status;
  const ended = (fix: Ended['fix_applied'], next: Overrides | null) => emit({ ...end, status, diagnosis, fix_applied: fix, next_overrides: next });

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
    const tried = [...state.attempts.flatMap((x) => [x.started.overrides.infra, x.started.cloud && x.started.region ? `${x.started.cloud}/${x.started.region}` : null]), a.cloud && a.region ? `${a.cloud}/${a.region}` : null, normalInfra(record.infra)];
    const fix = applyAutoFix(category.auto_fix, a.overrides, task, settings, tried.filter((t): t is string => typeof t === 'string'));
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

/** The experiment-tracking run URL the job printed (MLflow's "View run … at: <url>"), if any. */
async function trackingUrl(jobId: number, ctx: RalphContext): Promise<string | null> {
  let url: string | null = null;
  try {
    await ctx.sky.logs(jobId, { tail: 0, onLine: (line) => {
      url = runUrlInLine(line) ?? url;
    } });
  } catch {
    /* no log: no URL */
  }
  return url;
}

function writeIssueDraft(outputsDir: string, run: string, a: Started, d: NonNullable<Ended['diagnosis']>, fix: string): string {
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
