// F1 WAIT-FOR-TERMINAL: no diagnosis, fix or relaunch while jobs of the current batch still run, unless
// the kill switch fired for this batch (then the failures it acted on may be diagnosed at once).
import { currentBatch, unfinishedAttempts, type Manifest } from '../factorial/manifest.js';

export type RuleVerdict = { allowed: true; reason: string } | { allowed: false; rule: string; reason: string; details: string[] };

/**
 * `killSwitchException`: diagnosis may start once the kill switch fired; a relaunch never starts while
 * jobs of the batch still run (their failures would miss the relaunch).
 */
export function checkWaitForTerminal(manifest: Manifest, { killSwitchException = true } = {}): RuleVerdict {
  const running = unfinishedAttempts(manifest);
  if (running.length === 0) return { allowed: true, reason: 'every job of the current batch is terminal' };
  const batch = currentBatch(manifest);
  if (killSwitchException && manifest.kill_switch.some((k) => k.batch === batch)) {
    return { allowed: true, reason: `the kill switch fired in batch ${batch}; ${running.length} job(s) still run` };
  }
  return {
    allowed: false,
    rule: 'F1 WAIT-FOR-TERMINAL',
    reason: `${running.length} job(s) of batch ${batch} are not terminal yet; wait for them (skyloop factorial watch)`,
    details: running.map(({ entry, attempt }) => `${entry.condition} (job ${attempt.job_id ?? '?'}: ${attempt.status ?? 'launching'})`),
  };
}
