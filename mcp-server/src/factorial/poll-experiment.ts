// One poll of an experiment (F1 WAIT-FOR-TERMINAL is read-only monitoring): a single `sky jobs queue`
// for the whole grid, status changes folded into the manifest and the event log, failure fingerprints for
// newly failed jobs, stuck warnings, and the kill switch.
import { evaluateKillSwitch, type KillSwitchDecision, type KillSwitchJob } from '../rules/kill-switch.js';
import { isFailure } from '../sky/job-status.js';
import { ExperimentStore } from '../store/experiment-store.js';
import type { EventPayload } from './events.js';
import type { FactorialContext } from './factorial-context.js';
import { applyQueue, currentAttempt, currentBatch, findEntry, type Manifest, type StatusChange } from './manifest.js';
import { diagnoseFailures } from './diagnose-failures.js';
import { refreshResults } from './refresh-results.js';
import { summarize, type ExperimentSummary } from './summary.js';
import { waitedForResources } from '../supervisor/decisions.js';

/** Logs fetched per poll at most, so one poll (or one MCP call) stays short; the rest wait for the next poll. */
const LOG_FETCHES_PER_POLL = 8;
/** Attempts whose tracking run one poll reads at most (one runs/search, plus a log for a run not tagged). */
const TRACKING_READS_PER_POLL = 64;

export interface PollResult {
  changes: StatusChange[];
  kill_switch: KillSwitchDecision[];
  summary: ExperimentSummary;
}

/**
 * `killSwitch: false` makes the poll read-only towards SkyPilot (nothing is cancelled). `answered` runs in
 * the same manifest update as the status changes, first, once SkyPilot answered (the supervisor records the
 * end of an outage there, so it precedes what was learnt from the answer).
 */
export async function pollExperiment(
  experimentId: string,
  ctx: FactorialContext,
  { killSwitch = true, answered }: { killSwitch?: boolean; answered?: (m: Manifest) => EventPayload[] } = {},
): Promise<PollResult> {
  const store = new ExperimentStore(ctx.outputsDir, experimentId);
  if (!store.exists()) store.read(); // fails, naming the experiment, before sky is called
  const { records } = await ctx.sky.queue();
  const now = ctx.now();

  const { changes, newlyFailed, manifest } = await store.update((m) => {
    const events: EventPayload[] = answered?.(m) ?? [];
    // Ambiguous launches are reconciled by job name here, on every poll, before anything counts them.
    const { changes, adopted } = applyQueue(m, records, now);
    events.push(...adopted.map((a): EventPayload => ({ type: 'launched', ...a, reconciled: true })));
    events.push(...changes.map((c): EventPayload => ({ type: 'status_change', ...c })));
    events.push(...stuckWarnings(m, now));
    m.last_poll_at = now.toISOString();
    const newlyFailed = m.jobs.flatMap((j) => {
      const a = currentAttempt(j);
      return a && a.job_id !== null && a.status !== null && isFailure(a.status) && a.failure === null
        ? [{ condition: j.condition, job_id: a.job_id, status: a.status, failure_reason: a.failure_reason }]
        : [];
    });
    return { events, result: { changes, newlyFailed: newlyFailed.slice(0, LOG_FETCHES_PER_POLL), manifest: m } };
  });

  let latest = manifest;
  if (newlyFailed.length > 0) latest = await diagnoseFailures(store, newlyFailed, ctx);
  let decisions: KillSwitchDecision[] = [];
  if (killSwitch) ({ decisions, manifest: latest } = await runKillSwitch(store, latest, ctx, { news: newlyFailed.length > 0 }));
  // Each attempt's tracking run is read once, as soon as it is terminal; errors stay in the manifest.
  await refreshResults(store, ctx, { scope: 'unread', limit: TRACKING_READS_PER_POLL });
  return { changes, kill_switch: decisions, summary: summarize(latest, now) };
}

/** Warn once per attempt about a job waiting for resources longer than `stuck_after_s`. */
function stuckWarnings(m: Manifest, now: Date): EventPayload[] {
  const events: EventPayload[] = [];
  for (const j of m.jobs) {
    const a = currentAttempt(j);
    if (!a || a.job_id === null || a.status === null || a.submitted_at === null || a.stuck_warned_at !== null) continue;
    const waited = waitedForResources(a.status, Date.parse(a.submitted_at), now.getTime(), m.monitor.stuck_after_s);
    if (waited === null) continue;
    a.stuck_warned_at = now.toISOString();
    events.push({ type: 'stuck_warning', condition: j.condition, job_id: a.job_id, status: a.status, for_seconds: waited });
  }
  return events;
}

function killSwitchJobs(m: Manifest): KillSwitchJob[] {
  const batch = currentBatch(m);
  return m.jobs.flatMap((j) => {
    const a = currentAttempt(j);
    if (!a || a.batch !== batch) return [];
    return [{
      condition: j.condition,
      job_id: a.job_id,
      levels: j.levels,
      status: a.status,
      ended_at: a.end_time === null ? null : Date.parse(a.end_time) / 1000,
      duration_s: a.duration_seconds,
      // "Identical failure" only on a diagnosis the engine is confident of: a low-confidence guess never cancels jobs.
      fingerprint: a.failure && a.failure.confidence !== 'low' ? a.failure.fingerprint : null,
      cancel_requested: a.cancelled_by_kill_switch || a.cancel !== null,
    }];
  });
}

/**
 * Evaluated on every poll, so failures first seen by another reader are still acted on. Decisions are
 * logged when they act, and also when they hold but a new failure arrived (so every decision has a record).
 */
async function runKillSwitch(
  store: ExperimentStore,
  manifest: Manifest,
  ctx: FactorialContext,
  { news }: { news: boolean },
): Promise<{ decisions: KillSwitchDecision[]; manifest: Manifest }> {
  const batch = currentBatch(manifest);
  const firedBefore = new Set(manifest.kill_switch.filter((k) => k.batch === batch).map((k) => k.fingerprint));
  // A fingerprint that already fired in this batch is news again only if it has more jobs to cancel.
  const decisions = evaluateKillSwitch(killSwitchJobs(manifest), manifest.monitor.kill_switch).filter((d) =>
    d.fired ? d.cancel.length > 0 || (news && !firedBefore.has(d.fingerprint)) : news,
  );
  const toCancel = decisions.flatMap((d) => (d.fired ? d.cancel : []));
  if (toCancel.length > 0) await ctx.sky.cancel(toCancel.map((c) => c.job_id));
  if (decisions.length === 0) return { decisions, manifest };
  const at = ctx.now().toISOString();
  const updated = await store.update((m) => {
    for (const d of decisions.filter((x) => x.fired)) {
      m.kill_switch.push({ batch, at, fingerprint: d.fingerprint, failed_conditions: d.failed_conditions, common_levels: d.common_levels, cancelled: d.cancel.map((c) => c.condition) });
      for (const c of d.cancel) {
        const a = currentAttempt(findEntry(m, c.condition));
        if (a?.job_id === c.job_id) a.cancelled_by_kill_switch = true;
      }
    }
    return {
      events: decisions.map((d) => ({
        type: 'kill_switch', fired: d.fired, fingerprint: d.fingerprint, failed_conditions: d.failed_conditions,
        common_levels: d.common_levels, cancelled: d.cancel, spared: d.spared, reasons: d.reasons,
      })),
      result: m,
    };
  });
  return { decisions, manifest: updated };
}
