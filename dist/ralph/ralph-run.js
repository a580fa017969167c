// `skyloop ralph run`: step the loop unattended until it stops, then report. Re-running after a crash
// resumes from outputs/ralph_diagnoses.jsonl instead of starting over.
import { z } from 'zod';
import { defaultLibrary } from '../diagnosis/default-library.js';
import { catalogHourlyRate } from '../pricing/catalog-price.js';
import { appendJsonl, readJsonl } from '../store/jsonl-log.js';
import { realClock } from '../supervisor/clock.js';
import { EXIT } from '../supervisor/supervisor.js';
import { RALPH_EVENT_SCHEMA_VERSION, RalphEventSchema } from './ralph-events.js';
import { ralphLogPath, reduceRalphEvents, runName } from './ralph-step.js';
import { followRalph } from './ralph-wait.js';
export const RalphReportSchema = z.object({
    run: z.string(),
    outcome: z.string().describe('succeeded, unrecoverable, retries_exhausted, needs_change, budget, max_attempts, launch_failed, or running'),
    reason: z.string(),
    attempts: z.array(z.object({
        attempt: z.number().int(), job_id: z.number().int(), status: z.string(), cloud: z.string().nullable(), region: z.string().nullable(),
        gpu: z.string().nullable(), duration_s: z.number(), cost_usd: z.number(), category: z.string().nullable(), fix_applied: z.string().nullable(),
    })),
    cost_usd: z.number(),
    wall_time_s: z.number().describe('From the first launch to the last event'),
    tracking_url: z.string().nullable(),
    tracking: z
        .object({ run_id: z.string(), run_status: z.string().nullable(), metrics: z.record(z.string(), z.number()), error: z.string().nullable() })
        .nullable()
        .describe("The tracked run's status and metrics (latest values), read from MLFLOW_TRACKING_URI when the job printed its URL"),
    issue_draft: z.string().nullable(),
    log: z.string().describe('outputs/ralph_diagnoses.jsonl'),
});
export function ralphReport(run, outputsDir) {
    const events = readJsonl(ralphLogPath(outputsDir), RalphEventSchema).filter((e) => e.run === run);
    const state = reduceRalphEvents(run, events);
    const first = state.attempts[0]?.started.start_time;
    const last = events.at(-1)?.ts;
    return {
        run,
        outcome: state.stopped?.outcome ?? 'running',
        reason: state.stopped?.reason ?? (state.inFlight ? `attempt ${state.inFlight.attempt} is running` : 'not started'),
        attempts: state.attempts.map(({ started, ended }) => ({
            attempt: started.attempt, job_id: started.job_id, status: ended?.status ?? 'running', cloud: started.cloud, region: started.region, gpu: started.gpu,
            duration_s: ended?.duration_s ?? 0, cost_usd: ended?.cost_usd ?? 0, category: ended?.diagnosis?.category ?? null, fix_applied: ended?.fix_applied?.description ?? null,
        })),
        cost_usd: state.cost_usd,
        wall_time_s: first && last ? Math.round((Date.parse(last) - Date.parse(first)) / 1000) : 0,
        tracking_url: state.attempts.map((a) => a.ended?.tracking_url).find((u) => u) ?? null,
        tracking: state.attempts.map((a) => a.ended?.tracking).find((t) => t) ?? null,
        issue_draft: state.stopped?.issue_draft ?? null,
        log: ralphLogPath(outputsDir),
    };
}
/** Documented exit codes of `skyloop ralph run` (docs/cli.md), the grid supervisor's where they mean the same. */
export const RALPH_EXIT = { succeeded: 0, notSucceeded: 1, skyUnavailable: EXIT.skyUnavailable, interrupted: EXIT.interrupted };
/**
 * Follow the loop until it stops, a signal arrives, or SkyPilot stays away past the outage window (recorded as
 * `gave_up`; running again resumes). Every step's news goes to the run's notifier.
 */
export async function ralphRun(settings, ctx, { onStep, signal, clock = realClock, notifier = null } = {}) {
    const run = runName(settings);
    const { last, ended, polls } = await followRalph(settings, ctx, {
        clock,
        until: 'stopped',
        signal,
        onStep: (s) => {
            onStep?.(s);
            notifier?.offer();
        },
    });
    if (ended === 'sky_unavailable') {
        const reason = `SkyPilot did not answer for more than ${Math.round(settings.outage_window_s / 60)} min (${last.sky_unavailable?.command}: ${last.sky_unavailable?.error})`;
        appendJsonl(ralphLogPath(ctx.outputsDir), [{ schema_version: RALPH_EVENT_SCHEMA_VERSION, ts: ctx.now().toISOString(), run, type: 'gave_up', reason }]);
        notifier?.offer();
    }
    await notifier?.drain(15_000);
    const report = ralphReport(run, ctx.outputsDir);
    const exit = ended === 'sky_unavailable' ? RALPH_EXIT.skyUnavailable : ended === 'cancelled' ? RALPH_EXIT.interrupted : report.outcome === 'succeeded' ? RALPH_EXIT.succeeded : RALPH_EXIT.notSucceeded;
    return { ...report, ...(ended === 'sky_unavailable' ? { reason: `gave up waiting: ${report.reason}` } : {}), exit, polls };
}
export { catalogHourlyRate };
export function defaultRalphContext(sky, outputsDir, clock = realClock) {
    return { sky, outputsDir, now: () => new Date(), library: defaultLibrary(), hourlyRate: catalogHourlyRate(), clockMs: () => clock.nowMs() };
}
