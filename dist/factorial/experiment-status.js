// Read-only views of an experiment: the compact summary, or the full grid on request.
import { z } from 'zod';
import { ExperimentStore } from '../store/experiment-store.js';
import { ExperimentSummarySchema, summarize } from './summary.js';
export const GridRowSchema = z.object({
    condition: z.string(),
    job_id: z.number().int().nullable(),
    status: z.string(),
    batch: z.number().int(),
    attempts: z.number().int().describe('Jobs launched for the condition so far'),
    ran_s: z.number().nullable().describe('Seconds run, summed over every attempt (like cost_usd)'),
    cost_usd: z.number().nullable().describe('Cost summed over every attempt'),
    category: z.string().nullable(),
});
export const ExperimentStatusSchema = ExperimentSummarySchema.extend({ grid: z.array(GridRowSchema).optional() });
const totalRun = (attempts) => {
    const ran = attempts.map((a) => a.duration_seconds).filter((d) => d !== null);
    return ran.length ? ran.reduce((s, d) => s + d, 0) : null;
};
export function experimentStatus(experimentId, ctx, { all = false } = {}) {
    const m = new ExperimentStore(ctx.outputsDir, experimentId).read();
    const summary = summarize(m, ctx.now());
    if (!all)
        return summary;
    return {
        ...summary,
        grid: m.jobs.map((j) => ({
            condition: j.condition, job_id: j.job_id, status: j.status, batch: j.relaunch_batch, attempts: j.attempts.length,
            ran_s: totalRun(j.attempts), cost_usd: j.cost_usd, category: j.failure_category,
        })),
    };
}
