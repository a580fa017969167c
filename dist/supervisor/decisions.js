// The supervisor's decisions: pure functions over (manifest, clock, settings). Each pass of the supervisor
// reads the world (one `sky jobs queue`, folded into the manifest), asks these what to do, acts, and
// records what it did in the manifest, so the next pass (or another process) never decides the same
// thing twice. No I/O here.
import { isTerminal } from '../sky/job-status.js';
import { checkWaitForTerminal } from '../rules/wait-for-terminal.js';
import { costSoFar, currentAttempt, currentBatch, isFailedEntry, LAUNCH_FAILED, NOT_LAUNCHED, } from '../factorial/manifest.js';
const WAITING = new Set(['PENDING', 'STARTING']);
/**
 * Seconds a job has waited for resources (PENDING/STARTING) when that is at least `limitS`, else null. The
 * submitted time is SkyPilot's own (a grid's job and ralph-loop's single job are measured the same way).
 */
export function waitedForResources(status, submittedAtMs, nowMs, limitS) {
    if (status === null || !WAITING.has(status) || submittedAtMs === null)
        return null;
    const waited = (nowMs - submittedAtMs) / 1000;
    return waited >= limitS ? Math.round(waited) : null;
}
export function stuckJobs(m, now) {
    const out = [];
    for (const j of m.jobs) {
        const a = currentAttempt(j);
        if (!a || a.job_id === null || a.status === null || a.submitted_at === null)
            continue;
        const waited = waitedForResources(a.status, Date.parse(a.submitted_at), now.getTime(), m.monitor.stuck_after_s);
        if (waited !== null)
            out.push({ condition: j.condition, job_id: a.job_id, status: a.status, waited_s: waited });
    }
    return out;
}
/** Stuck jobs to cancel now: `on_stuck: cancel`, not yet asked to cancel. */
export function stuckToCancel(m, now, settings) {
    if (settings.on_stuck !== 'cancel')
        return [];
    return stuckJobs(m, now).filter((s) => currentAttempt(findJob(m, s.condition))?.cancel === null);
}
/** Jobs skyloop asked to cancel that SkyPilot still shows as live: ask again (cancelling is idempotent). */
export function cancelsToRepeat(m) {
    return m.jobs.flatMap((j) => {
        const a = currentAttempt(j);
        return a?.cancel && a.job_id !== null && a.status !== null && a.status !== 'CANCELLING' && !isTerminal(a.status)
            ? [{ condition: j.condition, job_id: a.job_id }]
            : [];
    });
}
/**
 * Spent so far plus what the jobs still running or waiting are expected to cost: each at least its expected
 * hours, or longer if it already ran longer.
 */
export function projectedCost(m, expectedHours) {
    const spent = costSoFar(m);
    const perHour = m.hourly_rate_usd * m.nodes_per_job;
    let remaining = 0;
    for (const j of m.jobs) {
        const a = currentAttempt(j);
        if (!a || a.launch_state === 'launch_failed' || (a.status !== null && isTerminal(a.status)))
            continue;
        const ranH = (a.duration_seconds ?? 0) / 3600;
        remaining += Math.max(0, expectedHours - ranH) * perHour;
    }
    return { spent_usd: spent, projected_usd: round2(spent + remaining), budget_usd: m.budget_usd };
}
/** Warn once at `warn_at` of the budget, act once past it. */
export function budgetDecision(m, settings) {
    const view = projectedCost(m, settings.expected_hours);
    const s = m.supervisor;
    if (view.projected_usd > view.budget_usd && s.budget_exceeded_at === null) {
        const cancel = settings.on_exceed === 'cancel' ? liveJobs(m) : [];
        return { level: 'exceeded', view, cancel };
    }
    if (view.projected_usd >= settings.warn_at * view.budget_usd && s.budget_warned_at === null && s.budget_exceeded_at === null) {
        return { level: 'warning', view };
    }
    return null;
}
function liveJobs(m) {
    return m.jobs.flatMap((j) => {
        const a = currentAttempt(j);
        return a && a.job_id !== null && a.cancel === null && (a.status === null || !isTerminal(a.status)) ? [{ condition: j.condition, job_id: a.job_id }] : [];
    });
}
/** Every condition launched and every newest attempt terminal. */
export function batchTerminal(m) {
    return m.jobs.every((j) => j.status !== NOT_LAUNCHED) && checkWaitForTerminal(m, { killSwitchException: false }).allowed && m.batches.length > 0;
}
/** The current batch just ended and was not announced yet. */
export function batchEndToAnnounce(m) {
    const batch = currentBatch(m);
    return batchTerminal(m) && !m.supervisor.terminal_batches.includes(batch) ? batch : null;
}
export function standing(j) {
    const a = currentAttempt(j);
    if (j.status === 'SUCCEEDED')
        return 'succeeded';
    if (a.cancel?.by === 'supervisor' && a.cancel.reason === 'stuck')
        return 'stuck_cancelled';
    if (j.status === 'CANCELLED' && !a.cancelled_by_kill_switch)
        return 'cancelled_by_user';
    if (j.status === LAUNCH_FAILED)
        return 'needs_person';
    if (isFailedEntry(j) && a.failure === null)
        return 'undiagnosed';
    if (a.failure?.fixability === 'transient')
        return 'transient';
    return 'needs_person';
}
/**
 * Once per terminal batch, when autopilot is on: relaunch the transient failures and the stuck jobs it
 * cancelled (those go to the next fallback resources), unchanged. Everything else (a failure that needs a
 * code or config change, a cancellation by a person) waits for a person or an agent.
 */
export function autopilotPlan(m, settings) {
    if (!settings.autopilot.enabled || !batchTerminal(m))
        return null;
    const batch = currentBatch(m);
    if (m.supervisor.autopilot.some((d) => d.batch === batch))
        return null;
    const by = new Map();
    for (const j of m.jobs) {
        const s = standing(j);
        by.set(s, [...(by.get(s) ?? []), j.condition]);
    }
    if ((by.get('undiagnosed') ?? []).length > 0)
        return null; // decided once every failure is diagnosed
    const retry = [...(by.get('transient') ?? []), ...(by.get('stuck_cancelled') ?? [])];
    const waiting = [...(by.get('needs_person') ?? [])];
    if (retry.length === 0) {
        return waiting.length === 0 ? null : { action: 'wait', conditions: waiting, reason: `${waiting.length} failure(s) need a change; autopilot relaunches only transient failures and stuck jobs` };
    }
    if (batch >= settings.autopilot.max_cycles) {
        return { action: 'wait', conditions: [...retry, ...waiting], reason: `autopilot may start ${settings.autopilot.max_cycles} relaunch cycle(s) on its own; batch ${batch} was the last` };
    }
    return {
        action: 'relaunch',
        conditions: retry,
        waiting,
        reason: `${retry.length} condition(s) failed transiently or were stuck` + (waiting.length ? `; ${waiting.length} wait for a person` : ''),
    };
}
/** Every condition succeeded, or stands still with nothing the supervisor will do about it. */
export function finishedToAnnounce(m, settings) {
    if (m.supervisor.finished_at !== null || !batchTerminal(m))
        return false;
    if (m.jobs.every((j) => j.status === 'SUCCEEDED'))
        return true;
    // A failure whose log could not be read yet is retried on the next poll, not reported as unexplained.
    if (m.jobs.some((j) => standing(j) === 'undiagnosed'))
        return false;
    // With autopilot on, finished means autopilot has decided on this batch and is not relaunching.
    if (!settings.autopilot.enabled)
        return true;
    const decision = m.supervisor.autopilot.find((d) => d.batch === currentBatch(m));
    return decision !== undefined && decision.action !== 'relaunch';
}
/** SkyPilot outage bookkeeping (the grid's and ralph-loop's): an outage open since `since` is past the window. */
export function outageExceeded(since, nowMs, windowS) {
    return since !== null && nowMs - Date.parse(since) > windowS * 1000;
}
/** What an outage is recorded with: SkyPilot's first useful line, without the command (recorded apart) and the module path. */
export function outageError(message) {
    const line = message.split('\n')[0] ?? message;
    const error = (/failed with exit code \d+: (.*)$/.exec(line)?.[1] ?? line.replace(/^`[^`]*` /, '')).replace(/^sky\.exceptions\./, '');
    return { line, error };
}
function findJob(m, condition) {
    return m.jobs.find((j) => j.condition === condition);
}
const round2 = (x) => Math.round(x * 100) / 100;
/** Rough time to the end of the batch: the longest expected remaining run among live jobs (they run in parallel). */
export function etaSeconds(m, expectedHours) {
    let eta = null;
    for (const j of m.jobs) {
        const a = currentAttempt(j);
        if (!a || a.launch_state === 'launch_failed' || (a.status !== null && isTerminal(a.status)))
            continue;
        const left = Math.max(0, expectedHours * 3600 - (a.duration_seconds ?? 0));
        eta = Math.max(eta ?? 0, left);
    }
    return eta;
}
