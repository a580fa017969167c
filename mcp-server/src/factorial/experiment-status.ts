// Read-only views of an experiment: the compact summary, or the full grid on request.
import { ExperimentStore } from '../store/experiment-store.js';
import type { FactorialContext } from './factorial-context.js';
import { summarize, type ExperimentSummary } from './summary.js';

export interface GridRow {
  condition: string;
  job_id: number | null;
  status: string;
  batch: number;
  ran_s: number | null;
  cost_usd: number | null;
  category: string | null;
}

export function experimentStatus(experimentId: string, ctx: FactorialContext, { all = false } = {}): ExperimentSummary & { grid?: GridRow[] } {
  const m = new ExperimentStore(ctx.outputsDir, experimentId).read();
  const summary = summarize(m, ctx.now());
  if (!all) return summary;
  return {
    ...summary,
    grid: m.jobs.map((j) => ({
      condition: j.condition, job_id: j.job_id, status: j.status, batch: j.relaunch_batch, ran_s: j.duration_seconds,
      cost_usd: j.cost_usd, category: j.failure_category,
    })),
  };
}
