import { parseArgs } from 'node:util';
import { renderAggregation } from '../../diagnosis/aggregate-failures.js';
import { diagnoseExperiment } from '../../factorial/diagnose-experiment.js';
import { rebuildAndVerify } from '../../factorial/rebuild-and-verify.js';
import { relaunchFailed } from '../../factorial/relaunch-failed.js';
import { generateReport } from '../../report/generate-report.js';
import { fmt } from '../../report/results-analysis.js';
import { experimentStatus } from '../../factorial/experiment-status.js';
import { defaultContext } from '../../factorial/factorial-context.js';
import { SkyCli } from '../../sky/sky-cli.js';
import { launchFactorial } from '../../factorial/launch-factorial.js';
import { pollExperiment } from '../../factorial/poll-experiment.js';
import { renderSummary } from '../../factorial/summary.js';
import { nextCycleNote } from '../../rules/max-relaunch-cycles.js';
import { ExperimentStore } from '../../store/experiment-store.js';
import { cancelConditions } from '../../factorial/cancel-conditions.js';
import { locateOutputsDir } from '../../factorial/experiment-index.js';
import { clockFromEnv } from '../../supervisor/clock.js';
import { supervise } from '../../supervisor/supervisor.js';
import { detachSupervisor, stopSupervisor, supervisorStatusLines } from '../../supervisor/detach.js';
import { cliJson, UsageError } from '../cli-error.js';
import { shortDuration, textTable } from '../text-table.js';
export const factorialHelp = `Usage:
  skyloop factorial launch <config.yaml> [--approve] [--json]
      Launch every condition of the grid as a SkyPilot managed job (idempotent: a re-run after an
      interruption launches only what is missing). --approve confirms a cost above the approval threshold.
  skyloop factorial status <experiment> [--json] [--all] [--refresh]
      Counts, progress, cost and the jobs that need attention, from the manifest. --refresh polls sky first;
      --all adds the full grid.
  skyloop factorial diagnose <experiment> [--json]
      F2: once every job of the batch is terminal (F1) or the kill switch fired, diagnose every failure and
      group them by root cause: one block per cause, most jobs first, and whatever could not be diagnosed.
  skyloop factorial rebuild <experiment> [--json]
      F3: run the config's trusted test/build/push commands, then verify the pushed tag's digest in the
      registry. Exit 1 if the rebuild is not verified (failed step, unknown tag, stale push).
  skyloop factorial relaunch <experiment> [--condition C ...] [--include-cancelled] [--exclude-category CAT ...]
                              [--authorize-cycles N --budget USD --reason TEXT] [--json]
      Relaunch only the failed, kill-switch-cancelled and stuck-cancelled conditions, once F1, F2, F3, F4 and
      the budget allow it; refusals name the rule. Skips failures the pattern library marks unrecoverable
      without a change (name them with --condition to insist). --include-cancelled adds conditions a person
      cancelled. Stuck ones move to the next untried relaunch.fallback resources. --authorize-cycles raises
      the F4 limit: N is the new total of relaunch cycles, with a new budget cap; recorded with the batch it allows.
  skyloop factorial cancel <experiment> (--condition C ... | --all) [--reason TEXT] [--json]
      Cancel through skyloop: recorded in the manifest and the event log, relaunchable on request.
  skyloop factorial report <experiment> [--json] [--no-issues] [--refresh-results]
      Write outputs/factorial_run_<experiment>.jsonl and outputs/factorial_report_<experiment>.md (.json,
      .html), and file what stays broken as issues (gh when logged in, else drafts under outputs/issues/).
      Tracking runs not read yet are read first; --refresh-results reads every one again.
  skyloop factorial watch <experiment> [--interval S] [--detach | --json]
      The supervisor: poll until every condition is accounted for; kill switch, stuck jobs, budget,
      autopilot and notifications as the config says; survives SkyPilot outages up to
      monitor.outage_window_s. Exit 0 all succeeded, 1 not all succeeded, 75 SkyPilot unavailable longer
      than the window, 130 stopped by a signal. --detach runs it in the background (log in the outputs dir).
      --json streams the experiment's events on stdout, one JSON object a line as they are recorded
      (the event log's schema, schema_version in each), progress lines on stderr.
  skyloop factorial supervise start|status|stop <experiment>
      The detached supervisor: start it (= watch --detach), show whether it is alive and its last poll, stop
      it (SIGTERM: it finishes its pass, writes the manifest and exits).

Files: outputs/factorial_manifest_<experiment>.json and outputs/factorial_events_<experiment>.jsonl
(SKYLOOP_OUTPUTS_DIR moves them).
`;
const one = (positionals, what) => {
    if (positionals.length !== 1)
        throw new UsageError(`expected exactly one ${what}`);
    return positionals[0];
};
export async function factorialCommand(argv, out) {
    const [sub, ...rest] = argv;
    const ctx = defaultContext();
    // The manifest is found from any working directory: the outputs dir is the experiment's, not the shell's.
    const experiment = (positionals) => {
        const id = one(positionals, 'experiment');
        ctx.outputsDir = locateOutputsDir(id, ctx.outputsDir);
        return id;
    };
    switch (sub) {
        case 'launch': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { approve: { type: 'boolean' }, json: { type: 'boolean' } } });
            const tty = process.stderr.isTTY === true;
            let shown = -1;
            // "12/24 submitted" on a terminal's stderr, rewritten in place (logs and pipes get the summary only).
            const onProgress = (n, total) => {
                if (n <= shown)
                    return;
                process.stderr.write(`\r${n}/${total} submitted${n === total ? '\n' : ''}`);
                shown = n;
            };
            const result = await launchFactorial(one(positionals, 'config file'), { approve: values.approve ?? false, onProgress: tty && !values.json ? onProgress : undefined }, ctx);
            if (values.json) {
                out.write(cliJson(result));
            }
            else if (result.all_terminal) {
                out.write(`${result.experiment_id}: every job is terminal; nothing to launch\n` +
                    `  status: skyloop factorial status ${result.experiment_id}\n  relaunch failures: skyloop factorial relaunch ${result.experiment_id}\n`);
            }
            else {
                out.write(`${result.experiment_id}: ${result.conditions} conditions, estimated $${result.estimated_cost_usd.toFixed(2)}\n` +
                    `  launched ${result.launched}, reconciled ${result.reconciled}, already running ${result.already_launched}, failed ${result.failed.length}\n` +
                    result.failed.map((f) => `  ✗ ${f.condition}: ${f.error}\n`).join('') +
                    result.outcome_unknown.map((f) => `  ? ${f.condition}: outcome unknown (sky may have submitted it; watch reconciles it by name): ${f.error}\n`).join('') +
                    `  manifest: ${result.manifest_path}\n  next: skyloop factorial watch ${result.experiment_id}\n`);
            }
            return result.failed.length + result.outcome_unknown.length > 0 ? 1 : 0;
        }
        case 'status': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, all: { type: 'boolean' }, refresh: { type: 'boolean' } } });
            const id = experiment(positionals);
            // Read-only like the MCP queue_status: a refresh updates statuses but never cancels (the kill switch is watch's).
            if (values.refresh)
                await pollExperiment(id, ctx, { killSwitch: false });
            const status = experimentStatus(id, ctx, { all: values.all ?? false });
            if (values.json) {
                out.write(cliJson(status));
                return 0;
            }
            out.write(renderSummary(status));
            if (!values.refresh)
                out.write(dataAge(status));
            if (status.grid) {
                out.write(textTable(['CONDITION', 'JOB', 'BATCH', 'STATUS', 'ATTEMPTS', 'RAN (ALL ATTEMPTS)', 'COST (ALL ATTEMPTS)', 'CATEGORY'], status.grid.map((g) => [g.condition, String(g.job_id ?? '-'), String(g.batch), g.status, String(g.attempts), shortDuration(g.ran_s), g.cost_usd === null ? '-' : `$${g.cost_usd.toFixed(2)}`, g.category ?? '-'])));
            }
            return 0;
        }
        case 'watch': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { interval: { type: 'string' }, detach: { type: 'boolean' }, json: { type: 'boolean' } } });
            const id = experiment(positionals);
            const intervalS = values.interval === undefined ? undefined : Number(values.interval);
            if (intervalS !== undefined && !(intervalS > 0))
                throw new UsageError('--interval takes a positive number of seconds');
            if (values.detach && values.json)
                throw new UsageError('--json streams events in the foreground; a detached supervisor logs to a file (its events are in the event log)');
            if (values.detach)
                return startDetached(id, intervalS, ctx.outputsDir, out);
            return watchForeground(id, intervalS, ctx, out, values.json ?? false);
        }
        case 'supervise': {
            const [action, ...more] = rest;
            const { positionals } = parseArgs({ args: more, allowPositionals: true, options: {} });
            const id = experiment(positionals);
            if (action === 'start')
                return startDetached(id, undefined, ctx.outputsDir, out);
            if (action === 'status') {
                out.write(supervisorStatusLines(ctx.outputsDir, id).join('\n') + '\n');
                return 0;
            }
            if (action === 'stop') {
                out.write((await stopSupervisor(ctx.outputsDir, id)) + '\n');
                return 0;
            }
            throw new UsageError('supervise takes start, status or stop');
        }
        case 'cancel': {
            const { values, positionals } = parseArgs({
                args: rest,
                allowPositionals: true,
                options: { condition: { type: 'string', multiple: true }, all: { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } },
            });
            const id = experiment(positionals);
            const r = await cancelConditions(id, { conditions: values.condition, all: values.all ?? false, reason: values.reason ?? 'cancelled on the command line' }, ctx);
            if (values.json)
                out.write(JSON.stringify(r, null, 2) + '\n');
            else {
                out.write(`${id}: cancelled ${r.cancelled.length} job(s)${r.not_running.length ? `; not running: ${r.not_running.join(', ')}` : ''}\n`);
                for (const c of r.cancelled)
                    out.write(`  ✗ ${c.condition}  job ${c.job_id}\n`);
                if (r.cancelled.length)
                    out.write(`  relaunch them later with: skyloop factorial relaunch ${id} --include-cancelled\n`);
            }
            return 0;
        }
        case 'diagnose': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
            const id = experiment(positionals);
            const aggregation = await diagnoseExperiment(id, ctx);
            const cycles = nextCycleNote(new ExperimentStore(ctx.outputsDir, id).read());
            out.write(values.json ? cliJson({ ...aggregation, relaunch_cycles: cycles }) : `${renderAggregation(aggregation, id)}\n${cycles.note}\n`);
            return 0;
        }
        case 'rebuild': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
            const rebuild = await rebuildAndVerify(experiment(positionals), ctx);
            out.write(values.json ? cliJson(rebuild) : renderRebuild(rebuild));
            return rebuild.verified ? 0 : 1;
        }
        case 'relaunch': {
            const { values, positionals } = parseArgs({
                args: rest,
                allowPositionals: true,
                options: {
                    json: { type: 'boolean' }, 'authorize-cycles': { type: 'string' }, budget: { type: 'string' }, reason: { type: 'string' },
                    condition: { type: 'string', multiple: true }, 'include-cancelled': { type: 'boolean' }, 'exclude-category': { type: 'string', multiple: true },
                },
            });
            const id = experiment(positionals);
            let authorize;
            if (values['authorize-cycles'] !== undefined) {
                const maxCycles = Number(values['authorize-cycles']);
                const budget = Number(values.budget);
                if (!Number.isInteger(maxCycles) || maxCycles < 1)
                    throw new UsageError('--authorize-cycles takes a whole number of cycles');
                if (!(budget > 0))
                    throw new UsageError('--authorize-cycles needs --budget USD, the new budget cap');
                authorize = { max_cycles: maxCycles, budget_usd: budget, reason: values.reason ?? 'authorized on the command line' };
            }
            const selection = { conditions: values.condition, include_cancelled: values['include-cancelled'], exclude_categories: values['exclude-category'] };
            const result = await relaunchFailed(id, { authorize, selection }, ctx);
            if (values.json) {
                out.write(cliJson(result));
            }
            else {
                out.write(`${id}: batch ${result.batch} relaunches ${result.conditions.length} condition(s) on ${result.image}, estimated $${result.estimated_cost_usd.toFixed(2)}\n` +
                    result.rules.map((r) => `  ✓ ${r}\n`).join('') +
                    `  launched ${result.launched}, reconciled ${result.reconciled}, failed ${result.failed.length}\n` +
                    result.failed.map((f) => `  ✗ ${f.condition}: ${f.error}\n`).join('') +
                    result.outcome_unknown.map((f) => `  ? ${f.condition}: outcome unknown (sky may have submitted it; watch reconciles it by name): ${f.error}\n`).join('') +
                    `  ${result.cycles}\n  next: skyloop factorial watch ${id}\n`);
            }
            return result.failed.length + result.outcome_unknown.length > 0 ? 1 : 0;
        }
        case 'report': {
            const { values, positionals } = parseArgs({
                args: rest,
                allowPositionals: true,
                options: { json: { type: 'boolean' }, 'no-issues': { type: 'boolean' }, 'refresh-results': { type: 'boolean' } },
            });
            const report = await generateReport(experiment(positionals), ctx, { fileIssues: !values['no-issues'], refreshResults: values['refresh-results'] });
            if (values.json) {
                out.write(cliJson(report));
            }
            else {
                const c = report.compact;
                out.write(`report: ${report.markdown_path}\npictures: ${report.html_path}\nrun records: ${report.jsonl_path}\nresults as data: ${report.json_path}\n`);
                out.write(`tracking: ${c.runs_found} run(s) found${c.tracking ? ` (${c.tracking})` : ''}\n`);
                const best = c.best[0];
                if (c.primary && best)
                    out.write(`best ${c.primary.metric}: ${best.configuration} (mean ${fmt(best.mean)}${best.sd === null ? '' : ` ± ${fmt(best.sd, 2)}`}, n=${best.n})\n`);
                for (const i of report.issues)
                    out.write(`issue (${i.action}) ${i.root_cause_id}: ${i.url ?? i.draft_path}\n`);
                for (const n of report.notes)
                    out.write(`note: ${n}\n`);
            }
            return 0;
        }
        default:
            throw new UsageError(sub === undefined ? 'factorial needs a subcommand: launch, status, watch, supervise, cancel, diagnose, rebuild, relaunch or report' : `unknown factorial subcommand '${sub}'`);
    }
}
/** How old the statuses of a status without --refresh are. */
function dataAge(s) {
    if (s.statuses_as_of === null || s.statuses_age_s === null)
        return '  statuses: never polled yet (--refresh polls sky now)\n';
    return `  statuses as of the last poll, ${shortDuration(s.statuses_age_s)} ago (${s.statuses_as_of}); --refresh polls sky now\n`;
}
/**
 * The supervisor in the foreground. With --json, stdout is the event stream (each event of the experiment's
 * log as one line, written as it is read after each pass) and the progress lines go to stderr.
 */
async function watchForeground(id, intervalS, ctx, out, json) {
    const abort = new AbortController();
    const stop = () => abort.abort();
    // `on`, not `once`: a listener that removed itself would let signal-exit (execa's child clean-up) re-raise
    // the signal and kill the process before the manifest is written.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // The supervisor retries a timed-out read inside the poll as well; one-shot commands fail fast instead.
    const sctx = defaultContext({ sky: new SkyCli({ retryTimeouts: true }), outputsDir: ctx.outputsDir });
    const progress = json ? process.stderr : out;
    try {
        const r = await supervise(id, sctx, {
            intervalS,
            signal: abort.signal,
            clock: clockFromEnv(),
            write: (text) => progress.write(text),
            color: progress.isTTY === true && process.env.NO_COLOR === undefined,
            log: process.env.SKYLOOP_SUPERVISOR_LOG ?? null,
            onEvents: json ? (events) => events.forEach((e) => out.write(JSON.stringify(e) + '\n')) : undefined,
        });
        progress.write(renderSummary(r.summary));
        if (r.exit === 75)
            progress.write(`supervisor gave up: ${r.reason}\n`);
        return r.exit;
    }
    finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
    }
}
async function startDetached(id, intervalS, outputsDir, out) {
    const { pid, log } = await detachSupervisor(id, outputsDir, intervalS);
    out.write(`${id}: supervisor started in the background (pid ${pid})\n  log: ${log}\n  status: skyloop factorial supervise status ${id}\n  stop: skyloop factorial supervise stop ${id}\n`);
    return 0;
}
function renderRebuild(r) {
    const lines = [`rebuild #${r.id} after batch ${r.after_batch}: ${r.verified ? `verified ${r.image} = ${r.digest}` : `NOT verified: ${r.refused_reason}`}`];
    for (const step of r.steps)
        lines.push(`  ${step.exit_code === 0 ? '✓' : '✗'} ${step.name}: ${step.command}  (exit ${step.exit_code ?? '-'}, ${step.duration_s} s)`);
    const failed = r.steps.find((s) => s.exit_code !== 0);
    if (failed)
        lines.push(...failed.output_tail.map((l) => `    | ${l}`));
    lines.push(`  commit ${r.git_commit ?? '-'}${r.git_dirty ? ' (dirty)' : ''}; log: ${r.log_file}`);
    return lines.join('\n') + '\n';
}
