import { parseArgs } from 'node:util';
import { renderAggregation } from '../../diagnosis/aggregate-failures.js';
import { diagnoseExperiment } from '../../factorial/diagnose-experiment.js';
import { rebuildAndVerify } from '../../factorial/rebuild-and-verify.js';
import { relaunchFailed } from '../../factorial/relaunch-failed.js';
import { generateReport } from '../../report/generate-report.js';
import { fmt } from '../../report/results-analysis.js';
import { experimentStatus } from '../../factorial/experiment-status.js';
import { defaultContext } from '../../factorial/factorial-context.js';
import { launchFactorial } from '../../factorial/launch-factorial.js';
import { pollExperiment } from '../../factorial/poll-experiment.js';
import { renderSummary } from '../../factorial/summary.js';
import { watchExperiment } from '../../factorial/watch-experiment.js';
import { nextCycleNote } from '../../rules/max-relaunch-cycles.js';
import { ExperimentStore } from '../../store/experiment-store.js';
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
  skyloop factorial relaunch <experiment> [--authorize-cycles N --budget USD --reason TEXT] [--json]
      Relaunch only the failed (and kill-switch-cancelled) conditions of the current batch, once F1, F2, F3,
      F4 and the budget allow it; refusals name the rule and the next step. --authorize-cycles N sets the new
      total of relaunch cycles (3 = one more after two) with a new budget cap; it is recorded in the manifest
      and the event log with the batch it allows, and a refused relaunch records nothing.
  skyloop factorial report <experiment> [--json] [--no-issues] [--refresh-results]
      Write outputs/factorial_run_<experiment>.jsonl and outputs/factorial_report_<experiment>.md (.json,
      .html), and file what stays broken as issues (gh when logged in, else drafts under outputs/issues/).
      Tracking runs not read yet are read first; --refresh-results reads every one again.
  skyloop factorial watch <experiment> [--interval S]
      Poll until every job is terminal (kill switch included). Exit 0 if all succeeded, 1 otherwise.

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
    switch (sub) {
        case 'launch': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { approve: { type: 'boolean' }, json: { type: 'boolean' } } });
            const result = await launchFactorial(one(positionals, 'config file'), { approve: values.approve ?? false }, ctx);
            if (values.json) {
                out.write(cliJson(result));
            }
            else {
                out.write(`${result.experiment_id}: ${result.conditions} conditions, estimated $${result.estimated_cost_usd.toFixed(2)}\n` +
                    `  launched ${result.launched}, reconciled ${result.reconciled}, already running ${result.already_launched}, failed ${result.failed.length}\n` +
                    result.failed.map((f) => `  ✗ ${f.condition}: ${f.error}\n`).join('') +
                    `  manifest: ${result.manifest_path}\n  next: skyloop factorial watch ${result.experiment_id}\n`);
            }
            return result.failed.length > 0 ? 1 : 0;
        }
        case 'status': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, all: { type: 'boolean' }, refresh: { type: 'boolean' } } });
            const id = one(positionals, 'experiment');
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
                out.write(dataAge(new ExperimentStore(ctx.outputsDir, id).read().last_poll_at, ctx.now()));
            if (status.grid) {
                out.write(textTable(['CONDITION', 'JOB', 'BATCH', 'STATUS', 'ATTEMPTS', 'RAN (ALL ATTEMPTS)', 'COST (ALL ATTEMPTS)', 'CATEGORY'], status.grid.map((g) => [g.condition, String(g.job_id ?? '-'), String(g.batch), g.status, String(g.attempts), shortDuration(g.ran_s), g.cost_usd === null ? '-' : `$${g.cost_usd.toFixed(2)}`, g.category ?? '-'])));
            }
            return 0;
        }
        case 'watch': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { interval: { type: 'string' } } });
            const id = one(positionals, 'experiment');
            const intervalS = values.interval === undefined ? undefined : Number(values.interval);
            if (intervalS !== undefined && !(intervalS > 0))
                throw new UsageError('--interval takes a positive number of seconds');
            const abort = new AbortController();
            const stop = () => abort.abort();
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
            try {
                const last = await watchExperiment(id, ctx, {
                    intervalS,
                    signal: abort.signal,
                    onPoll: (r) => out.write(renderPoll(r)),
                });
                out.write(renderSummary(last.summary));
                if (abort.signal.aborted)
                    return 130;
                return last.summary.all_succeeded ? 0 : 1;
            }
            finally {
                process.off('SIGINT', stop);
                process.off('SIGTERM', stop);
            }
        }
        case 'diagnose': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
            const id = one(positionals, 'experiment');
            const aggregation = await diagnoseExperiment(id, ctx);
            const cycles = nextCycleNote(new ExperimentStore(ctx.outputsDir, id).read());
            out.write(values.json ? cliJson({ ...aggregation, relaunch_cycles: cycles }) : `${renderAggregation(aggregation, id)}\n${cycles.note}\n`);
            return 0;
        }
        case 'rebuild': {
            const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
            const rebuild = await rebuildAndVerify(one(positionals, 'experiment'), ctx);
            out.write(values.json ? cliJson(rebuild) : renderRebuild(rebuild));
            return rebuild.verified ? 0 : 1;
        }
        case 'relaunch': {
            const { values, positionals } = parseArgs({
                args: rest,
                allowPositionals: true,
                options: { json: { type: 'boolean' }, 'authorize-cycles': { type: 'string' }, budget: { type: 'string' }, reason: { type: 'string' } },
            });
            const id = one(positionals, 'experiment');
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
            const result = await relaunchFailed(id, { authorize }, ctx);
            if (values.json) {
                out.write(cliJson(result));
            }
            else {
                out.write(`${id}: batch ${result.batch} relaunches ${result.conditions.length} condition(s) on ${result.image}, estimated $${result.estimated_cost_usd.toFixed(2)}\n` +
                    result.rules.map((r) => `  ✓ ${r}\n`).join('') +
                    `  launched ${result.launched}, reconciled ${result.reconciled}, failed ${result.failed.length}\n` +
                    result.failed.map((f) => `  ✗ ${f.condition}: ${f.error}\n`).join('') +
                    `  ${result.cycles}\n  next: skyloop factorial watch ${id}\n`);
            }
            return result.failed.length > 0 ? 1 : 0;
        }
        case 'report': {
            const { values, positionals } = parseArgs({
                args: rest,
                allowPositionals: true,
                options: { json: { type: 'boolean' }, 'no-issues': { type: 'boolean' }, 'refresh-results': { type: 'boolean' } },
            });
            const report = await generateReport(one(positionals, 'experiment'), ctx, { fileIssues: !values['no-issues'], refreshResults: values['refresh-results'] });
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
            throw new UsageError(sub === undefined ? 'factorial needs a subcommand: launch, status, watch, diagnose, rebuild, relaunch or report' : `unknown factorial subcommand '${sub}'`);
    }
}
/** How old the statuses of a status without --refresh are. */
function dataAge(lastPoll, now) {
    if (lastPoll === null)
        return '  statuses: never polled yet (--refresh polls sky now)\n';
    const s = Math.max(0, Math.round((now.getTime() - Date.parse(lastPoll)) / 1000));
    return `  statuses as of the last poll, ${shortDuration(s)} ago (${lastPoll}); --refresh polls sky now\n`;
}
const MAX_CHANGE_LINES = 12;
/** One poll of `watch`: a line per status change and per kill-switch decision, then the counts. Quiet when nothing moved. */
function renderPoll(r) {
    if (r.changes.length === 0 && r.kill_switch.length === 0)
        return '';
    const time = new Date().toISOString().slice(11, 19);
    const lines = r.changes
        .slice(0, MAX_CHANGE_LINES)
        .map((c) => `${time}  job ${c.job_id}  ${c.condition}  ${c.from ?? 'submitted'} → ${c.to}`);
    if (r.changes.length > MAX_CHANGE_LINES)
        lines.push(`${time}  … and ${r.changes.length - MAX_CHANGE_LINES} more changes`);
    for (const d of r.kill_switch) {
        lines.push(`${time}  ${d.fired ? '⚡ kill switch fired' : 'kill switch held'}: ${d.reasons.join('; ')}`);
        for (const c of d.cancel)
            lines.push(`          cancelled job ${c.job_id} ${c.condition}`);
    }
    const s = r.summary;
    const counts = Object.entries(s.counts).map(([status, n]) => `${n} ${status}`).join(', ');
    lines.push(`${time}  ${s.terminal}/${s.total} terminal (${counts}); cost so far $${s.cost_so_far_usd.toFixed(2)}`);
    return lines.join('\n') + '\n';
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
