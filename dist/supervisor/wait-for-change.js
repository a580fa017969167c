import { summarize } from '../factorial/summary.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { realClock } from './clock.js';
import { superviseStep } from './supervise-step.js';
import { readSupervisor } from './supervisor-lock.js';
import { loadSupervisorSettings } from './supervisor-settings.js';
export async function waitForChange(experimentId, ctx, { timeoutS, intervalS, signal, onPoll }) {
    const store = new ExperimentStore(ctx.outputsDir, experimentId);
    const manifest = store.read();
    const settings = loadSupervisorSettings(manifest, () => undefined);
    const start = Date.now();
    const supervisor = readSupervisor(ctx.outputsDir, experimentId);
    const attached = supervisor !== null && supervisor.alive && supervisor.pid !== process.pid;
    const seen = attached ? store.readEvents().length : 0;
    for (let polls = 1;; polls++) {
        let result;
        let skyUnavailable = null;
        let notes = [];
        if (attached) {
            const fresh = store.readEvents().slice(seen);
            const changes = fresh.flatMap((e) => (e.type === 'status_change' ? [{ condition: e.condition, job_id: e.job_id, from: e.from, to: e.to }] : []));
            notes = fresh.filter((e) => e.type !== 'status_change' && e.type !== 'diagnosis').map((e) => e.type);
            result = { changes, kill_switch: [], summary: summarize(store.read(), ctx.now()) };
        }
        else {
            const outcome = await superviseStep(experimentId, ctx, settings, realClock);
            if (outcome.ok) {
                result = outcome.poll;
                notes = outcome.notes;
            }
            else {
                skyUnavailable = `${outcome.command}: ${outcome.error}`;
                result = { changes: [], kill_switch: [], summary: summarize(store.read(), ctx.now()) };
            }
        }
        const elapsed = (Date.now() - start) / 1000;
        await onPoll?.(result, elapsed);
        const changed = result.changes.length > 0 || result.kill_switch.some((d) => d.fired) || notes.length > 0;
        if (changed || result.summary.all_terminal || elapsed + intervalS > timeoutS || signal?.aborted) {
            return { changed, polls, result, attached, sky_unavailable: skyUnavailable, notes };
        }
        await realClock.sleep(intervalS * 1000, signal);
    }
}
