// Read-only views of an experiment: the compact summary, or the full grid on request.
import { z } from 'zod';
import { ExperimentStore } from '../store/experiment-store.js';
import { ExperimentSummarySchema, summarize } from './summary.js';
export const GridRowSchema = z.object({
    condition: z.string(),
    job_id: z.number().int().nullable(),
    status: z.string(),
    batch: z.number().int(),
    ran_s: z.number().nullable(),
    cost_usd: z.number().nullable(),
    category: z.string().nullable(),
});
export const ExperimentStatusSchema = ExperimentSummarySchema.extend({ grid: z.array(GridRowSchema).optional() });
export function experimentStatus(experimentId, ctx, { all = false } = {}) {
    const m = new ExperimentStore(ctx.outputsDir, experimentId).read();
    const summary = summarize(m, ctx.now());
    if (!all)
        return summary;
    return {
        ...summary,
        grid: m.jobs.map((j) => ({
            condition: j.condition, job_id: j.job_id, status: j.status, batch: j.relaunch_batch, ran_s: j.duration_seconds,
            cost_usd: j.cost_usd, category: j.failure_category,
        })),
    };
}
