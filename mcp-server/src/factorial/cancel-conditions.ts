// Cancelling conditions through skyloop: recorded in the manifest (who and why) before `sky jobs cancel`
// runs, so a cancelled condition can be relaunched on request and the record survives a crash mid-way.
import { z } from 'zod';
import { isTerminal } from '../sky/job-status.js';
import { ExperimentStore } from '../store/experiment-store.js';
import type { FactorialContext } from './factorial-context.js';
import { currentAttempt, findEntry } from './manifest.js';

export const CancelResultSchema = z.object({
  experiment_id: z.string(),
  cancelled: z.array(z.object({ condition: z.string(), job_id: z.number().int() })),
  not_running: z.array(z.string()).describe('Named conditions with no live job (already terminal or never launched)'),
  reason: z.string(),
});
export type CancelResult = z.infer<typeof CancelResultSchema>;

export class CancelRefused extends Error {
  override readonly name = 'CancelRefused';
}

export async function cancelConditions(
  experimentId: string,
  { conditions, all = false, reason = 'cancelled by a person' }: { conditions?: string[]; all?: boolean; reason?: string },
  ctx: FactorialContext,
): Promise<CancelResult> {
  if (!all && (conditions === undefined || conditions.length === 0)) {
    throw new CancelRefused('name the conditions to cancel (--condition C, repeatable) or cancel every live job with --all');
  }
  const store = new ExperimentStore(ctx.outputsDir, experimentId);
  const at = ctx.now().toISOString();
  const { cancelled, notRunning } = await store.update((m) => {
    const names = all ? m.jobs.map((j) => j.condition) : (conditions as string[]);
    for (const c of names) findEntry(m, c); // an unknown condition fails, by name, before anything is cancelled
    const cancelled: { condition: string; job_id: number }[] = [];
    const notRunning: string[] = [];
    for (const c of names) {
      const a = currentAttempt(findEntry(m, c));
      if (!a || a.job_id === null || (a.status !== null && isTerminal(a.status))) {
        if (!all) notRunning.push(c);
        continue;
      }
      a.cancel = { by: 'user', reason, at, category: null };
      cancelled.push({ condition: c, job_id: a.job_id });
    }
    return { events: cancelled.length ? [{ type: 'cancel', by: 'user', reason, cancelled }] : [], result: { cancelled, notRunning } };
  });
  if (cancelled.length > 0) await ctx.sky.cancel(cancelled.map((c) => c.job_id));
  return { experiment_id: experimentId, cancelled, not_running: notRunning, reason };
}
