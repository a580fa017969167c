// Following the single-job loop: decision after decision, pausing between polls, until something worth
// returning happens. `skyloop ralph run` follows it until it stops; MCP ralph_step with wait_s follows it
// until a decision, a status change or the time limit, so an agent spends a handful of calls on one job.
import type { SupervisorClock } from '../supervisor/clock.js';
import type { RalphSettings } from './ralph-settings.js';
import { ralphStep, type RalphContext, type StepResult } from './ralph-step.js';

/** stopped: only when the loop stops; decision: also when an attempt ends (the loop chose a fix, a retry); change: also on a launch or a status change. */
export type WaitUntil = 'stopped' | 'decision' | 'change';
export type WaitEnd = 'stopped' | 'decision' | 'change' | 'timeout' | 'cancelled' | 'sky_unavailable';

export interface WaitOutcome {
  last: StepResult;
  /** What the loop did meanwhile (launches, ended attempts, outages), in order. */
  steps: string[];
  polls: number;
  ended: WaitEnd;
}

export async function followRalph(
  settings: RalphSettings,
  ctx: RalphContext,
  { clock, until, waitS, signal, onStep }: { clock: SupervisorClock; until: WaitUntil; waitS?: number; signal?: AbortSignal | undefined; onStep?: (s: StepResult, polls: number) => Promise<void> | void },
): Promise<WaitOutcome> {
  const start = clock.nowMs();
  const intervalMs = settings.poll_interval_s * 1000;
  const steps: string[] = [];
  let status: string | null = null;
  for (let polls = 1; ; polls++) {
    const last = await ralphStep(settings, ctx, signal);
    await onStep?.(last, polls);
    const news = last.action !== 'waiting' || (last.sky_unavailable?.since !== undefined && steps.at(-1) !== last.detail);
    if (news) steps.push(last.detail);
    const done = (ended: WaitEnd): WaitOutcome => ({ last, steps: steps.slice(-20), polls, ended });
    if (last.action === 'stopped') return done('stopped');
    // The outage window is over: `ralph run` gives up, an agent is told.
    if (last.sky_unavailable?.exceeded) return done('sky_unavailable');
    if (until !== 'stopped' && last.action === 'attempt_ended') return done('decision');
    if (until === 'change' && (last.action === 'launched' || (last.status !== null && status !== null && last.status !== status))) return done('change');
    status = last.status ?? status;
    if (signal?.aborted) return done('cancelled');
    // Launches and decisions are followed at once; only waiting waits.
    if (last.action !== 'waiting') continue;
    if (waitS !== undefined && clock.nowMs() - start + intervalMs > waitS * 1000) return done('timeout');
    await clock.sleep(intervalMs, signal);
    if (signal?.aborted) return done('cancelled');
  }
}
