// One reconcile pass of the supervisor: read the world (one `sky jobs queue`, folded into the manifest by
// pollExperiment), decide (decisions.ts, pure), act, record. Passes of one experiment are serialised by a
// lock and every decision is recorded in the manifest before the next pass reads it, so a detached
// supervisor and an agent's wait_for_change never act twice on the same thing; a missed or crashed pass
// is healed by the next one.
import { diagnoseExperiment } from '../factorial/diagnose-experiment.js';
import { currentAttempt, currentBatch, findEntry } from '../factorial/manifest.js';
import { pollExperiment } from '../factorial/poll-experiment.js';
import { relaunchFailed } from '../factorial/relaunch-failed.js';
import { summarize } from '../factorial/summary.js';
import { RuleRefusal } from '../rules/rule-refusal.js';
import { SkyError } from '../sky/sky-errors.js';
import { withFileLock } from '../store/file-lock.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { autopilotPlan, batchEndToAnnounce, budgetDecision, cancelsToRepeat, finishedToAnnounce, outageError, outageExceeded, stuckToCancel, } from './decisions.js';
const ACT_LOCK_WAIT_MS = 15 * 60_000;
export async function superviseStep(experimentId, ctx, settings, clock) {
    const store = new ExperimentStore(ctx.outputsDir, experimentId);
    store.read(); // a missing experiment fails here, by name, before anything else
    return withFileLock(`${store.manifestPath}.act`, () => pass(store, ctx, settings, clock), ACT_LOCK_WAIT_MS);
}
async function pass(store, ctx, settings, clock) {
    let poll;
    const notes = [];
    try {
        poll = await pollExperiment(store.experimentId, ctx, { answered: (m) => recovery(m, clock) });
    }
    catch (e) {
        if (!(e instanceof SkyError))
            throw e;
        return recordOutage(store, e, settings, clock);
    }
    let m = store.read();
    // Asked to cancel before, still live (the cancel call failed, or the process died after recording it).
    const repeat = cancelsToRepeat(m);
    if (repeat.length > 0)
        await ctx.sky.cancel(repeat.map((r) => r.job_id));
    for (const s of stuckToCancel(m, ctx.now(), settings)) {
        const category = await controllerCategory(ctx, s.job_id, s.status, currentAttempt(findEntry(m, s.condition))?.failure_reason ?? null);
        m = await store.update((x) => {
            const a = currentAttempt(findEntry(x, s.condition));
            if (a?.job_id !== s.job_id || a.cancel !== null)
                return { events: [], result: x };
            a.cancel = { by: 'supervisor', reason: 'stuck', at: ctx.now().toISOString(), category };
            return { events: [{ type: 'stuck_cancelled', condition: s.condition, job_id: s.job_id, category, for_seconds: s.waited_s }], result: x };
        });
        await ctx.sky.cancel([s.job_id]);
        notes.push(`cancelled stuck ${s.condition} (job ${s.job_id}, ${category ?? 'no capacity'})`);
    }
    const budget = budgetDecision(m, settings);
    if (budget) {
        m = await store.update((x) => {
            const at = ctx.now().toISOString();
            if (budget.level === 'warning')
                x.supervisor.budget_warned_at = at;
            else
                x.supervisor.budget_exceeded_at = at;
            const cancel = budget.level === 'exceeded' ? budget.cancel : [];
            markCancelled(x, cancel, 'budget exceeded', at);
            const events = [{ type: 'budget', level: budget.level, ...budget.view, action: cancel.length > 0 ? 'cancel' : 'warn' }];
            if (cancel.length > 0)
                events.push({ type: 'cancel', by: 'supervisor', reason: 'budget exceeded', cancelled: cancel });
            return { events, result: x };
        });
        if (budget.level === 'exceeded' && budget.cancel.length > 0)
            await ctx.sky.cancel(budget.cancel.map((c) => c.job_id));
    }
    const ended = batchEndToAnnounce(m);
    if (ended !== null) {
        m = await store.update((x) => {
            x.supervisor.terminal_batches.push(ended);
            const s = summarize(x, ctx.now());
            return { events: [{ type: 'batch_terminal', batch: ended, counts: s.counts, cost_so_far_usd: s.cost_so_far_usd, estimated_cost_usd: s.estimated_cost_usd }], result: x };
        });
    }
    const plan = autopilotPlan(m, settings);
    if (plan)
        m = await runAutopilot(store, ctx, m, plan, notes);
    if (finishedToAnnounce(m, settings)) {
        await store.update((x) => {
            x.supervisor.finished_at = ctx.now().toISOString();
            const s = summarize(x, ctx.now());
            return { events: [{ type: 'experiment_finished', all_succeeded: s.all_succeeded, counts: s.counts, cost_so_far_usd: s.cost_so_far_usd, estimated_cost_usd: s.estimated_cost_usd }], result: x };
        });
    }
    const latest = store.read();
    return { ok: true, poll: { ...poll, summary: summarize(latest, ctx.now()) }, notes };
}
/** Relaunch through the same code path as relaunch_failed (F1-F4, budget), after aggregating (F2). */
async function runAutopilot(store, ctx, m, plan, notes) {
    const batch = currentBatch(m);
    let action = plan.action;
    let reason = plan.reason;
    if (plan.action === 'relaunch') {
        try {
            await diagnoseExperiment(store.experimentId, ctx);
            const r = await relaunchFailed(store.experimentId, { selection: { conditions: plan.conditions, by: 'autopilot' } }, ctx);
            notes.push(`autopilot relaunched ${r.conditions.length} condition(s) as batch ${r.batch}`);
        }
        catch (e) {
            if (!(e instanceof RuleRefusal))
                throw e;
            action = 'refused';
            reason = `${e.rule}: ${e.message}`;
        }
    }
    return store.update((x) => {
        x.supervisor.autopilot.push({ at: ctx.now().toISOString(), batch, action, conditions: plan.conditions, reason });
        return { events: [{ type: 'autopilot', batch, action, conditions: plan.conditions, reason }], result: x };
    });
}
function markCancelled(m, jobs, reason, at) {
    for (const c of jobs) {
        const a = currentAttempt(findEntry(m, c.condition));
        if (a?.job_id === c.job_id && a.cancel === null)
            a.cancel = { by: 'supervisor', reason, at, category: null };
    }
}
/** What the controller log says kept the job waiting (no capacity, quota, infeasible…); null if unreadable. */
async function controllerCategory(ctx, jobId, status, failureReason) {
    try {
        // The queue's failure_reason (folded into the manifest by the last poll) is evidence too.
        return (await ctx.diagnose({ job_id: jobId, status, failure_reason: failureReason })).category;
    }
    catch {
        return null;
    }
}
async function recordOutage(store, e, settings, clock) {
    const { line, error } = outageError(e.message);
    return store.update((m) => {
        const first = m.supervisor.sky_unavailable_since === null;
        const since = m.supervisor.sky_unavailable_since ?? new Date(clock.nowMs()).toISOString();
        m.supervisor.sky_unavailable_since = since;
        m.supervisor.last_sky_error = line;
        const gaveUp = outageExceeded(since, clock.nowMs(), settings.outage_window_s);
        const events = [{ type: 'sky_unavailable', command: e.command, error, since, first }];
        return { events, result: { ok: false, command: e.command, error, since, gave_up: gaveUp } };
    });
}
/** SkyPilot answers again: the outage ends (recorded before what the answer shows). */
function recovery(m, clock) {
    const since = m.supervisor.sky_unavailable_since;
    if (since === null)
        return [];
    m.supervisor.sky_unavailable_since = null;
    m.supervisor.last_sky_error = null;
    return [{ type: 'sky_recovered', since, down_s: Math.max(0, Math.round((clock.nowMs() - Date.parse(since)) / 1000)) }];
}
