import { pollExperiment } from './poll-experiment.js';
import { ExperimentStore } from '../store/experiment-store.js';
export async function watchExperiment(experimentId, ctx, options = {}) {
    const intervalMs = (options.intervalS ?? new ExperimentStore(ctx.outputsDir, experimentId).read().monitor.poll_interval_s) * 1000;
    for (;;) {
        const result = await pollExperiment(experimentId, ctx);
        options.onPoll?.(result);
        if (result.summary.all_terminal || options.signal?.aborted)
            return result;
        await sleep(intervalMs, options.signal);
        if (options.signal?.aborted)
            return result;
    }
}
/**
 * Poll until some job changes state or `timeoutS` passes; `onPoll` reports progress meanwhile.
 * Lets an agent wait without spending tokens on polling.
 */
export async function waitForChange(experimentId, ctx, { timeoutS, intervalS, signal, onPoll }) {
    const start = Date.now();
    for (let polls = 1;; polls++) {
        const result = await pollExperiment(experimentId, ctx);
        const elapsed = (Date.now() - start) / 1000;
        await onPoll?.(result, elapsed);
        const changed = result.changes.length > 0 || result.kill_switch.some((d) => d.fired);
        if (changed || result.summary.all_terminal || elapsed + intervalS > timeoutS || signal?.aborted) {
            return { changed, polls, result };
        }
        await sleep(intervalS * 1000, signal);
    }
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
}
