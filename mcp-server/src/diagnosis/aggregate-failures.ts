// F2 AGGREGATE-BEFORE-FIX: every failed job of the batch grouped by root cause, with the factor pattern
// that tells where the bug lives, before anything is fixed or relaunched. Pure: the manifest in, the
// aggregation out.
import type { Aggregation, RootCause } from './aggregation-schema.js';
import { currentAttempt, currentBatch, isFailedEntry, LAUNCH_FAILED, type JobEntry, type Manifest } from '../factorial/manifest.js';

export interface CategoryInfo {
  description: string;
  fix_strategy: string;
  affected_files: string[];
}

const CONFIDENCE_ORDER = ['low', 'medium', 'high'] as const;
/** Factors whose levels are data splits: a cause shared by one of their levels is in the data. */
const DATA_FACTORS = /^(fold|split|seed|shard|dataset|data)s?$/;

function sharedLevels(entries: JobEntry[]): Record<string, string | number | boolean> {
  const [first, ...rest] = entries;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.levels).filter(([f, l]) => rest.every((e) => e.levels[f] === l)));
}

/**
 * Where a cause lives, said against the levels the batch's conditions do not all share: a relaunch batch of
 * one model makes that model no evidence. One failed condition is just that condition.
 */
function describePattern(shared: Record<string, unknown>, affected: number, batch: JobEntry[]): string {
  const batchCommon = sharedLevels(batch);
  const telling = Object.fromEntries(Object.entries(shared).filter(([f]) => !(f in batchCommon)));
  const factors = Object.keys(telling);
  const levels = Object.entries(telling).map(([f, l]) => `${f}=${l}`).join(', ');
  if (affected === 1) return `one condition (${levels || 'the only one of the batch'})`;
  if (affected === batch.length) {
    return Object.keys(batchCommon).length === 0 || currentAttempt(batch[0]!)?.batch === 0
      ? 'infrastructure (every condition of the batch)'
      : `every condition of this relaunch batch (it shares ${Object.entries(batchCommon).map(([f, l]) => `${f}=${l}`).join(', ')})`;
  }
  if (factors.length === 0) return 'scattered (no factor level in common)';
  if (factors.every((f) => DATA_FACTORS.test(f))) return `data-specific (${levels})`;
  return `${factors.filter((f) => !DATA_FACTORS.test(f)).join('+')}-specific (${levels})`;
}

export function aggregateFailures(manifest: Manifest, categories: (id: string) => CategoryInfo | undefined, now: Date): Aggregation {
  const batch = currentBatch(manifest);
  const inBatch = manifest.jobs.filter((j) => currentAttempt(j)?.batch === batch);
  const groups = new Map<string, JobEntry[]>();
  const undiagnosed: Aggregation['undiagnosed'] = [];
  for (const entry of inBatch) {
    if (!isFailedEntry(entry)) continue;
    const a = currentAttempt(entry)!;
    if (entry.status === LAUNCH_FAILED) {
      undiagnosed.push({ condition: entry.condition, job_id: null, status: LAUNCH_FAILED, reason: `sky jobs launch failed: ${a.launch_error ?? 'unknown error'}` });
    } else if (!a.failure || a.failure.category === 'UNKNOWN') {
      undiagnosed.push({ condition: entry.condition, job_id: a.job_id, status: entry.status, reason: a.failure?.line ?? a.failure_reason ?? 'no log evidence' });
    } else {
      groups.set(a.failure.category, [...(groups.get(a.failure.category) ?? []), entry]);
    }
  }
  const cancelledBy = new Map<string, string[]>();
  for (const k of manifest.kill_switch.filter((k) => k.batch === batch)) {
    const category = k.fingerprint.split(':')[0] as string;
    cancelledBy.set(category, [...(cancelledBy.get(category) ?? []), ...k.cancelled]);
  }
  const root_causes = [...groups.entries()].map(([id, entries]): RootCause => {
    const attempts = entries.map((e) => currentAttempt(e)!);
    const info = categories(id);
    const shared = sharedLevels(entries);
    const confidence = CONFIDENCE_ORDER[Math.min(...attempts.map((a) => CONFIDENCE_ORDER.indexOf(a.failure!.confidence)))] ?? 'low';
    return {
      root_cause_id: id,
      description: info?.description ?? id,
      affected_jobs: attempts.map((a) => a.job_id as number),
      conditions: entries.map((e) => e.condition),
      cancelled_by_kill_switch: cancelledBy.get(id) ?? [],
      fix_strategy: info?.fix_strategy ?? 'no fix strategy known',
      affected_files: info?.affected_files ?? [],
      confidence,
      fixability: attempts[0]!.failure!.fixability,
      pattern: describePattern(shared, entries.length, inBatch),
      shared_levels: shared,
      fingerprints: [...new Set(attempts.map((a) => a.failure!.fingerprint))],
      evidence: attempts.find((a) => a.failure?.line)?.failure?.line ?? null,
      ...(entries.some((e) => currentAttempt(e)!.failure!.classified_by === 'agent')
        ? { classified_by_agent: entries.filter((e) => currentAttempt(e)!.failure!.classified_by === 'agent').map((e) => e.condition) }
        : {}),
    };
  });
  root_causes.sort((a, b) => b.affected_jobs.length - a.affected_jobs.length || a.root_cause_id.localeCompare(b.root_cause_id));
  const failed = root_causes.reduce((n, r) => n + r.conditions.length, 0) + undiagnosed.length;
  return { batch, created_at: now.toISOString(), failed, root_causes, undiagnosed };
}

/** The human report: one block per cause, most jobs first, then what could not be diagnosed. */
export function renderAggregation(agg: Aggregation, experimentId: string): string {
  const out = [`${experimentId}  batch ${agg.batch}: ${agg.failed} failed, ${agg.root_causes.length} root cause(s)` + (agg.undiagnosed.length ? `, ${agg.undiagnosed.length} undiagnosed` : ''), ''];
  for (const r of agg.root_causes) {
    out.push(
      `${r.root_cause_id}  ${r.conditions.length} job(s)  ${r.pattern}  confidence ${r.confidence}, ${r.fixability}`,
      `  ${r.description}`,
      `  jobs: ${r.affected_jobs.join(', ')}`,
      `  conditions: ${r.conditions.join(', ')}`,
    );
    if (r.cancelled_by_kill_switch.length) out.push(`  cancelled by the kill switch: ${r.cancelled_by_kill_switch.join(', ')}`);
    if (r.evidence) out.push(`  evidence: ${r.evidence}`);
    if (r.classified_by_agent?.length) out.push(`  classified by the agent (not the engine): ${r.classified_by_agent.join(', ')}`);
    if (r.confidence !== 'high' && !r.classified_by_agent?.length) out.push(`  not confident (${r.confidence}): analyze_logs on job ${r.affected_jobs[0]} lists the candidate causes with their lines; decide and say it is your classification`);
    out.push(`  fix: ${r.fix_strategy}`);
    if (r.affected_files.length) out.push(`  files: ${r.affected_files.join(', ')}`);
    out.push('');
  }
  if (agg.undiagnosed.length) {
    out.push('Not diagnosed (look at these yourself):');
    for (const u of agg.undiagnosed) out.push(`  ${u.condition}  job ${u.job_id ?? '-'}  ${u.status}: ${u.reason}`);
  }
  return out.join('\n').trimEnd() + '\n';
}
