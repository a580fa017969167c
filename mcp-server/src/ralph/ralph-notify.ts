// The notifier of one run: the targets of its notify_config, a ledger next to the loop's log
// (outputs/ralph_notify_<run>.jsonl). One per run and target list per process, so a long-lived MCP server
// never sends an event twice while a delivery is still under way.
import { join } from 'node:path';
import { readJsonl } from '../store/jsonl-log.js';
import { Notifier, notifyTimeoutMs } from '../supervisor/notify/notifier.js';
import type { NotifyTargets } from '../supervisor/notify/notify-targets.js';
import { RalphEventSchema } from './ralph-events.js';
import { ralphNotices } from './ralph-notices.js';
import { ralphLogPath } from './ralph-step.js';

export interface RalphNotifier {
  /** Offer the run's events not yet delivered; returns at once. */
  offer(): void;
  drain(ms: number): Promise<void>;
}

const open = new Map<string, RalphNotifier>();

export function ralphNotifier(outputsDir: string, run: string, targets: NotifyTargets, onFailure?: (message: string) => void): RalphNotifier | null {
  if (targets.length === 0) return null;
  const ledgerPath = join(outputsDir, `ralph_notify_${run}.jsonl`);
  const id = `${ledgerPath}|${JSON.stringify(targets)}`;
  const known = open.get(id);
  if (known) return known;
  const notifier = new Notifier({ ledgerPath, targets, timeoutMs: notifyTimeoutMs(), ...(onFailure ? { onFailure } : {}) });
  const made: RalphNotifier = {
    offer: () => {
      const events = readJsonl(ralphLogPath(outputsDir), RalphEventSchema).filter((e) => e.run === run);
      notifier.offer(ralphNotices(events, (k, t) => notifier.wants(k, t)));
    },
    drain: (ms) => notifier.drain(ms),
  };
  open.set(id, made);
  return made;
}
