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
export const ExperimentStatusSchema = ExperimentSummarySchema.extend({
    statuses_as_of: z.string().nullable().describe('When sky jobs queue was last read into the manifest (null: never); refresh reads it now'),
    statuses_age_s: z.number().int().nullable().describe('How old those statuses are, in seconds'),
    grid: z.array(GridRowSchema).optional(),
});
const totalRun = (attempts) => {
    const ran = attempts.map((a) => a.duration_seconds).filter((d) => d !== null);
    return ran.length ? ran.reduce((s, d) => s + d, 0) : null;
};
export function experimentStatus(experimentId, ctx, { all = false } = {}) {
    const m = new ExperimentStore(ctx.outputsDir, experimentId).read();
    const now = ctx.now();
    const age = m.last_poll_at === null ? null : Math.max(0, Math.round((now.getTime() - Date.parse(m.last_poll_at)) / 1000));
    const status = { ...summarize(m, now), statuses_as_of: m.last_poll_at, statuses_age_s: age };
    if (!all)
        return status;
    return {
        ...status,
        grid: m.jobs.map((j) => ({
            condition: j.condition, job_id: j.job_id, status: j.status, batch: j.relaunch_batch, attempts: j.attempts.length,
            ran_s: totalRun(j.attempts), cost_usd: j.cost_usd, category: j.failure_category,
        })),
    };
}
