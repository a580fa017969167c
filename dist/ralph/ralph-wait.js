import { ralphStep } from './ralph-step.js';
export async function followRalph(settings, ctx, { clock, until, waitS, signal, onStep }) {
    const start = clock.nowMs();
    const intervalMs = settings.poll_interval_s * 1000;
    const steps = [];
    let status = null;
    for (let polls = 1;; polls++) {
        const last = await ralphStep(settings, ctx, signal);
        await onStep?.(last, polls);
        const news = last.action !== 'waiting' || (last.sky_unavailable?.since !== undefined && steps.at(-1) !== last.detail);
        if (news)
            steps.push(last.detail);
        const done = (ended) => ({ last, steps: steps.slice(-20), polls, ended });
        if (last.action === 'stopped')
            return done('stopped');
        // The outage window is over: `ralph run` gives up, an agent is told.
        if (last.sky_unavailable?.exceeded)
            return done('sky_unavailable');
        if (until !== 'stopped' && last.action === 'attempt_ended')
            return done('decision');
        if (until === 'change' && (last.action === 'launched' || (last.status !== null && status !== null && last.status !== status)))
            return done('change');
        status = last.status ?? status;
        if (signal?.aborted)
            return done('cancelled');
        // Launches and decisions are followed at once; only waiting waits.
        if (last.action !== 'waiting')
            continue;
        if (waitS !== undefined && clock.nowMs() - start + intervalMs > waitS * 1000)
            return done('timeout');
        await clock.sleep(intervalMs, signal);
        if (signal?.aborted)
            return done('cancelled');
    }
}
