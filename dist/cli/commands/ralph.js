import { parseArgs } from 'node:util';
import { defaultContext } from '../../factorial/factorial-context.js';
import { runPreflight } from '../../preflight/index.js';
import { defaultRalphContext, ralphReport, ralphRun } from '../../ralph/ralph-run.js';
import { ralphNotifier } from '../../ralph/ralph-notify.js';
import { RalphSettingsSchema } from '../../ralph/ralph-settings.js';
import { runName } from '../../ralph/ralph-step.js';
import { clockFromEnv } from '../../supervisor/clock.js';
import { readNotifyTargets } from '../../supervisor/notify/notify-targets.js';
import { cliJson, UsageError } from '../cli-error.js';
import { PREFLIGHT_OPTIONS, preflightInput, renderPreflight } from './preflight.js';
export const ralphHelp = `Usage:
  skyloop ralph run <task.yaml> [--budget 5] [--infra aws/us-east-2,gcp/us-central1,…] [--gpus A100:1,L4:1]
        [--batch-size-env BATCH_SIZE] [--hourly-rate USD] [--expected-hours H] [--poll-interval S] [--name N]
        [--max-retries 3] [--max-attempts 10] [--stuck-after 1800] [--outage-window 1800]
        [--notify-config experiment.yaml] [--skip-preflight] [pre-flight options…] [--json]
      One job from pre-flight to report, unattended: launch, watch, diagnose, apply the safe automatic fix of
      the failure's category to a copy of the task (rotate region/GPU, raise disk, halve the batch size, go
      on-demand), and relaunch — until it succeeds, a category failed more than --max-retries times, a failure
      needs a code or config change, or the budget is spent. A job PENDING/STARTING longer than --stuck-after
      seconds (SkyPilot's submitted time) is cancelled and rotated to the next untried --infra entry. SkyPilot
      not answering is waited out, never counted as a failure. --notify-config: a YAML file whose notify: list
      (an experiment config's) is told of outages, failed attempts and the end, once each.
      Resumes from outputs/ralph_diagnoses.jsonl after a crash.
      Exit 0 if the job succeeded, 1 if the loop stopped otherwise, 75 if SkyPilot did not answer for longer
      than --outage-window seconds (run it again to resume), 130 on SIGINT/SIGTERM.
  skyloop ralph report <run> [--json]
      Attempts, cost, wall time, outcome, diagnoses and the tracking URL of a run.
`;
const list = (v) => v?.split(',').map((s) => s.trim()).filter(Boolean);
const num = (flag, v) => {
    if (v === undefined)
        return undefined;
    const n = Number(v);
    if (!(n > 0))
        throw new UsageError(`--${flag} takes a positive number, got '${v}'`);
    return n;
};
function renderReport(r) {
    const lines = [`${r.run}: ${r.outcome} — ${r.reason}`];
    for (const a of r.attempts) {
        lines.push(`  attempt ${a.attempt}  job ${a.job_id}  ${a.status}  ${a.cloud ?? '?'}/${a.region ?? '?'}  ${a.gpu ?? '-'}  ${Math.round(a.duration_s / 60)} min  $${a.cost_usd.toFixed(2)}${a.category ? `  ${a.category}` : ''}${a.fix_applied ? ` → ${a.fix_applied}` : ''}`);
    }
    lines.push(`  cost $${r.cost_usd.toFixed(2)}, wall time ${Math.round(r.wall_time_s / 60)} min${r.tracking_url ? `, run ${r.tracking_url}` : ''}`);
    if (r.tracking) {
        const metrics = Object.entries(r.tracking.metrics).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ');
        lines.push(`  run ${r.tracking.run_id}: ${r.tracking.error ?? `${r.tracking.run_status ?? '?'}${metrics ? `; ${metrics}` : ''}`}`);
    }
    if (r.issue_draft)
        lines.push(`  issue draft: ${r.issue_draft}`);
    lines.push(`  log: ${r.log}`);
    return lines.join('\n') + '\n';
}
export async function ralphCommand(argv, out) {
    const [sub, ...rest] = argv;
    const ctx = defaultContext();
    if (sub === 'report') {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
        if (positionals.length !== 1)
            throw new UsageError('expected the run name');
        const report = ralphReport(positionals[0], ctx.outputsDir);
        out.write(values.json ? cliJson(report) : renderReport(report));
        return 0;
    }
    if (sub !== 'run')
        throw new UsageError(sub === undefined ? 'ralph needs a subcommand: run or report' : `unknown ralph subcommand '${sub}'`);
    const { values: v, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
            ...PREFLIGHT_OPTIONS,
            budget: { type: 'string' }, infra: { type: 'string' }, gpus: { type: 'string' }, 'batch-size-env': { type: 'string' },
            'hourly-rate': { type: 'string' }, 'expected-hours': { type: 'string' }, 'poll-interval': { type: 'string' }, name: { type: 'string' },
            'max-retries': { type: 'string' }, 'max-attempts': { type: 'string' }, 'stuck-after': { type: 'string' },
            'outage-window': { type: 'string' }, 'notify-config': { type: 'string' },
            'skip-preflight': { type: 'boolean' }, json: { type: 'boolean' },
        },
    });
    if (positionals.length !== 1)
        throw new UsageError('expected one task YAML');
    const task = positionals[0];
    const settings = RalphSettingsSchema.parse({
        task_yaml: task,
        name: v.name,
        budget_usd: num('budget', v.budget),
        infra: list(v.infra),
        gpus: list(v.gpus),
        batch_size_env: v['batch-size-env'],
        hourly_rate_usd: num('hourly-rate', v['hourly-rate']),
        expected_hours: num('expected-hours', v['expected-hours']),
        poll_interval_s: num('poll-interval', v['poll-interval']),
        stuck_after_s: num('stuck-after', v['stuck-after']),
        outage_window_s: num('outage-window', v['outage-window']),
        notify_config: v['notify-config'],
        max_retries_per_category: v['max-retries'] === undefined ? undefined : Number(v['max-retries']),
        max_attempts: num('max-attempts', v['max-attempts']),
    });
    if (!v['skip-preflight']) {
        const pre = await runPreflight({ ...preflightInput(task, v), outputs_dir: ctx.outputsDir });
        if (!v.json)
            out.write(renderPreflight(pre));
        if (!pre.ok) {
            if (v.json)
                out.write(cliJson({ preflight: pre }));
            return 1;
        }
    }
    const targets = settings.notify_config === undefined ? [] : readNotifyTargets(settings.notify_config);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const clock = clockFromEnv();
    const time = () => new Date(clock.nowMs()).toISOString().slice(11, 19);
    let outage = null;
    try {
        const rctx = defaultRalphContext(ctx.sky, ctx.outputsDir, clock);
        const notifier = ralphNotifier(ctx.outputsDir, runName(settings), targets, (m) => out.write(`${time()}  ${m}\n`));
        const { exit, polls, ...report } = await ralphRun(settings, rctx, {
            signal: abort.signal,
            clock,
            notifier,
            onStep: (s) => {
                // One line per decision and per outage (not per failed poll).
                const down = s.sky_unavailable?.since ?? null;
                if (!v.json && (s.action !== 'waiting' || (down !== null && down !== outage)))
                    out.write(`${time()}  ${s.detail}\n`);
                if (down !== null)
                    outage = down; // a later outage starts at another time
            },
        });
        out.write(v.json ? cliJson({ ...report, polls }) : renderReport(report));
        return exit;
    }
    finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
    }
}
