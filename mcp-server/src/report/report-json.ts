// outputs/factorial_report_<experiment_id>.json: the report's answer as data (per condition results, main
// effects, best configurations, caveats, time and cost against the estimate), and the compact summary an
// MCP client gets instead of the whole report. Replaced atomically; every string is redacted.
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ReportModel } from './report-model.js';
import { redactDeep } from '../redaction/redact.js';

export const REPORT_JSON_SCHEMA_VERSION = 1;

export const reportJsonPath = (outputsDir: string, experimentId: string): string => join(outputsDir, `factorial_report_${experimentId}.json`);

export function reportData(model: ReportModel, now: Date) {
  const m = model.manifest;
  const tc = new Map(model.time_cost.conditions.map((c) => [c.condition, c]));
  const values = new Map(model.results.conditions.map((c) => [c.condition, c]));
  return {
    schema_version: REPORT_JSON_SCHEMA_VERSION,
    experiment_id: m.experiment_id,
    generated_at: now.toISOString(),
    tracking: model.tracking,
    metrics: model.results.metrics,
    primary: model.results.primary?.name ?? null,
    replicates: model.results.replicates,
    conditions: model.conditions.map((c) => {
      const v = values.get(c.entry.condition);
      const t = tc.get(c.entry.condition);
      return {
        condition: c.entry.condition,
        levels: c.entry.levels,
        outcome: c.outcome,
        status: c.entry.status,
        failure: c.failure?.root_cause_id ?? null,
        attempts: t?.attempts ?? 0,
        hours: t?.hours ?? 0,
        cost_usd: t?.cost_usd ?? 0,
        run_id: v?.tracking?.run_id ?? null,
        run_url: v?.tracking?.run_url ?? null,
        run_status: v?.tracking?.run_status ?? null,
        metrics: v?.values ?? {},
        why_missing: v?.why_missing ?? null,
      };
    }),
    main_effects: model.results.main_effects,
    top: model.results.top,
    caveats: model.results.caveats,
    time_cost: model.time_cost,
  };
}
export type ReportData = ReturnType<typeof reportData>;

export async function writeReportJson(outputsDir: string, model: ReportModel, now: Date): Promise<string> {
  const path = reportJsonPath(outputsDir, model.manifest.experiment_id);
  await writeFileAtomic(path, JSON.stringify(redactDeep(reportData(model, now)), null, 2) + '\n', { fsync: true });
  return path;
}

/** What an agent needs to decide the next step, in about a kilobyte; the files hold the rest. */
export function compactSummary(model: ReportModel) {
  const p = model.results.primary;
  return redactDeep({
    experiment_id: model.manifest.experiment_id,
    totals: model.totals,
    cost_usd: model.cost_total_usd,
    estimated_usd: model.manifest.total_estimated_cost,
    budget_usd: model.manifest.budget_usd,
    cycles: { current: model.cycle_state.current, limit: model.cycle_state.limit },
    tracking: model.tracking.server ?? model.tracking.note,
    runs_found: model.results.conditions.filter((c) => c.tracking?.run_id).length,
    primary: p ? { metric: p.name, goal: p.goal } : null,
    best: p ? model.results.top.slice(0, 3).map((t) => ({ configuration: t.label, mean: t.mean, sd: t.sd, n: t.n })) : [],
    caveats: model.results.caveats.length,
    remaining_failures: model.remaining.map((g) => ({ root_cause_id: g.root_cause_id, conditions: g.failed.length + g.cancelled.length })),
    next: model.recommendations[0]?.kind ?? 'none',
  });
}
export type CompactSummary = ReturnType<typeof compactSummary>;
