// F2 AGGREGATE-BEFORE-FIX, as a precondition of a relaunch: an aggregation of the current batch must
// account for every failed condition in it.
import { currentAttempt, currentBatch, isFailedEntry, type Manifest } from '../factorial/manifest.js';
import type { RuleVerdict } from './wait-for-terminal.js';

export function checkAggregated(m: Manifest): RuleVerdict {
  const batch = currentBatch(m);
  const failed = m.jobs.filter((j) => currentAttempt(j)?.batch === batch && isFailedEntry(j)).map((j) => j.condition);
  const aggregation = m.aggregations.find((a) => a.batch === batch);
  if (!aggregation) {
    return { allowed: false, refusal: 'F2_NOT_AGGREGATED', rule: 'F2 AGGREGATE-BEFORE-FIX', reason: `batch ${batch} has not been aggregated`, details: failed };
  }
  const covered = new Set([...aggregation.root_causes.flatMap((r) => r.conditions), ...aggregation.undiagnosed.map((u) => u.condition)]);
  const missing = failed.filter((c) => !covered.has(c));
  if (missing.length > 0) {
    return { allowed: false, refusal: 'F2_NEW_FAILURES', rule: 'F2 AGGREGATE-BEFORE-FIX', reason: `${missing.length} failed condition(s) of batch ${batch} are not in its aggregation`, details: missing };
  }
  return { allowed: true, reason: `aggregation of batch ${batch} covers all ${failed.length} failures` };
}
