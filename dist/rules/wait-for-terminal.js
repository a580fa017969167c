// F1 WAIT-FOR-TERMINAL: no diagnosis, fix or relaunch while jobs of the current batch still run, unless
// the kill switch fired for this batch (then the failures it acted on may be diagnosed at once).
import { currentBatch, unfinishedAttempts } from '../factorial/manifest.js';
/**
 * `killSwitchException`: diagnosis may start once the kill switch fired; a relaunch never starts while
 * jobs of the batch still run (their failures would miss the relaunch).
 */
export function checkWaitForTerminal(manifest, { killSwitchException = true } = {}) {
    const running = unfinishedAttempts(manifest);
    if (running.length === 0)
        return { allowed: true, reason: 'every job of the current batch is terminal' };
    const batch = currentBatch(manifest);
    if (killSwitchException && manifest.kill_switch.some((k) => k.batch === batch)) {
        return { allowed: true, reason: `the kill switch fired in batch ${batch}; ${running.length} job(s) still run` };
    }
    return {
        allowed: false,
        refusal: 'F1_RUNNING',
        rule: 'F1 WAIT-FOR-TERMINAL',
        reason: `${running.length} job(s) of batch ${batch} are not terminal yet`,
        details: running.map(({ entry, attempt }) => `${entry.condition} (${describeAttempt(attempt)})`),
    };
}
/** SkyPilot's status as last seen, or what the manifest knows when the queue has not shown the job yet. */
function describeAttempt(a) {
    if (a.job_id === null)
        return a.launch_state === 'intent' ? 'being submitted' : 'no job id yet';
    return `job ${a.job_id}: ${a.status ?? 'submitted, not yet seen in sky jobs queue'}`;
}
