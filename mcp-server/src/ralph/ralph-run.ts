// `skyloop ralph run`: step the loop unattended until it stops, then report. Re-running after a crash
// resumes from outputs/ralph_diagnoses.jsonl instead of starting over.
import { z } from 'zod';
import { defaultLibrary } from '../diagnosis/default-library.js';
import type { SkyPort } from '../factorial/factorial-context.js';
import { catalogHourlyRate } from '../pricing/catalog-price.js';
import { readJsonl } from '../store/jsonl-log.js';
import { RalphEventSchema } from './ralph-events.js';
import type { RalphSettings } from './ralph-settings.js';
import { ralphLogPath, ralphStep, reduceRalphEvents, type RalphContext, type StepResult } from './ralph-step.js';

export const RalphReportSchema = z.object({
  run: z.string(),
  outcome: z.string().describe('succeeded, unrecoverable, retries_exhausted, needs_change, budget, max_attempts, launch_failed, or running'),
  reason: z.string(),
  attempts: z.array(
    z.object({
      attempt: z.number().int(), job_id: z.number().int(), status: z.string(), cloud: z.string().nullable(), region: z.string().nullable(),
      gpu: z.string().nullable(), duration_s: z.number(), cost_usd: z.number(), category: z.string().nullable(), fix_applied: z.string().nullable(),
    }),
  ),
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
export type RalphReport = z.infer<typeof RalphReportSchema>;

export function ralphReport(run: string, outputsDir: string): RalphReport {
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

export async function ralphRun(
  settings: RalphSettings,
  ctx: RalphContext,
  { onStep, signal }: { onStep?: (s: StepResult) => void; signal?: AbortSignal } = {},
): Promise<RalphReport> {
  for (;;) {
    const step = await ralphStep(settings, ctx);
    onStep?.(step);
    if (step.action === 'stopped') return ralphReport(step.run, ctx.outputsDir);
    if (signal?.aborted) return ralphReport(step.run, ctx.outputsDir);
    // Launches and decisions are followed at once; only waiting waits.
    if (step.action === 'waiting') await new Promise((r) => setTimeout(r, settings.poll_interval_s * 1000));
  }
}

export { catalogHourlyRate };

export function defaultRalphContext(sky: SkyPort, outputsDir: string): RalphContext {
  return { sky, outputsDir, now: () => new Date(), library: defaultLibrary(), hourlyRate: catalogHourlyRate() };
}
