// The facts an experiment report is made of, computed once from the manifest: each condition's outcome and
// how it is accounted for (succeeded, fixed and relaunched, filed as an issue, or reported), cost per cycle,
// what every root cause's fix did, the failures that remain, and what to do next. Pure: no I/O here.
import { createHash } from 'node:crypto';
import type { RootCause } from '../diagnosis/aggregation-schema.js';
import { normalizeEvidence } from '../diagnosis/fingerprint.js';
import { redact } from '../redaction/redact.js';
import {
  costSoFar,
  currentAttempt,
  currentBatch,
  LAUNCH_FAILED,
  type Attempt,
  type FiledIssue,
  type JobEntry,
  type Manifest,
  type Rebuild,
} from '../factorial/manifest.js';
import { cycleLimit } from '../rules/max-relaunch-cycles.js';
import { isFailure } from '../sky/job-status.js';
import { resultsSettingsOf, trackingServer } from '../tracking/results-settings.js';
import { analyzeResults, type ResultsAnalysis } from './results-analysis.js';
import { timeAndCost, type TimeAndCost } from './time-and-cost.js';

export type Level = string | number | boolean;
export type Outcome = 'succeeded' | 'failed' | 'cancelled' | 'running' | 'not_launched';
export const OUTCOMES: readonly Outcome[] = ['succeeded', 'failed', 'cancelled', 'not_launched', 'running'];

/** How a condition is accounted for in the report: no failure is ever silently dismissed. */
export type Disposition =
  | { kind: 'succeeded'; note: string }
  | { kind: 'fixed'; note: string }
  | { kind: 'issue'; note: string; issue: FiledIssue }
  | { kind: 'reported'; note: string };

/** What made an attempt fail, as a stable key: equal fingerprints mean "identical error". */
export interface FailureKey {
  fingerprint: string;
  root_cause_id: string;
  fixability: string | null;
  evidence: string | null;
}

export interface ConditionReport {
  entry: JobEntry;
  outcome: Outcome;
  /** Batch of the newest attempt: the one that decided the outcome. */
  decided_batch: number | null;
  job_ids: number[];
  /** Some attempt failed or was cancelled by the kill switch. */
  ever_failed: boolean;
  /** The newest attempt's failure; for a kill-switch cancellation, the failure that made it fire. */
  failure: FailureKey | null;
  cancelled_by_kill_switch: boolean;
  disposition: Disposition;
}

export interface CycleCost {
  batch: number;
  jobs: number;
  cost_usd: number;
  image: string;
}

export interface CycleState {
  current: number;
  limit: number;
  exhausted: boolean;
  authorizations: number;
}

/** Failures still standing at the end, one group per fingerprint. */
export interface RemainingFailure {
  fingerprint: string;
  /** sha256 of the fingerprint, 16 hex: the marker that de-duplicates issues. */
  hash16: string;
  root_cause_id: string;
  description: string;
  fixability: string | null;
  pattern: string | null;
  /** The earliest aggregation that saw this fingerprint, when it is not the newest one. */
  first_seen: { batch: number; pattern: string } | null;
  shared_levels: Record<string, Level>;
  fix_strategy: string | null;
  affected_files: string[];
  evidence: string | null;
  /** Conditions whose newest attempt failed this way. */
  failed: string[];
  /** Conditions whose newest attempt the kill switch cancelled because of this failure. */
  cancelled: string[];
  /** Rebuilds made after a batch in which these conditions failed: the fixes attempted. */
  fixes: Rebuild[];
  /** Batches in which these conditions ran. */
  batches: number[];
  cost_usd: number;
  /** Still failing after the last allowed cycle, or unrecoverable: becomes an issue. */
  fileable: boolean;
  why: string;
}

export interface CauseOutcome {
  batch: number;
  root_cause_id: string;
  description: string;
  pattern: string | null;
  fixability: string | null;
  fix_strategy: string | null;
  evidence: string | null;
  conditions: string[];
  /** Conditions whose category the agent chose, not the engine. */
  classified_by_agent: string[];
  cancelled: string[];
  fixes: Rebuild[];
  /** Each affected condition's next attempt after this batch, if it was relaunched. */
  relaunched: { condition: string; batch: number; outcome: Outcome; category: string | null }[];
  not_relaunched: string[];
}

export interface Recommendation {
  kind: 'redesign' | 'fix_upstream' | 'authorize_cycles' | 'fix_and_relaunch' | 'relaunch_cancelled' | 'investigate' | 'launch' | 'none';
  root_cause_id: string | null;
  conditions: string[];
  text: string;
}

export interface ReportModel {
  manifest: Manifest;
  conditions: ConditionReport[];
  totals: Record<Outcome, number> & { conditions: number };
  percentages: Record<Outcome, number>;
  cycles: CycleCost[];
  cycle_state: CycleState;
  cost_total_usd: number;
  causes: CauseOutcome[];
  remaining: RemainingFailure[];
  recommendations: Recommendation[];
  /** The tracking server the results come from, or why there is none (said once in the report). */
  tracking: { server: string | null; note: string | null };
  results: ResultsAnalysis;
  time_cost: TimeAndCost;
}

export interface ReportModelOptions {
  /** The server results were read from (default: the configured one, without looking at the environment). */
  server?: { uri: string } | { none: string };
}

/** Categories whose fix lies outside the training code: data, credentials, services, quotas. */
const UPSTREAM = new Set([
  'DATA_MISSING',
  'DVC_PULL_FAIL',
  'DVC_NO_GIT',
  'CLOUD_CREDENTIALS',
  'MLFLOW_UNREACHABLE',
  'MLFLOW_AUTH_FAIL',
  'STORAGE_ACCESS',
  'DOCKER_AUTH_FAIL',
  'QUOTA_EXCEEDED',
]);

const round2 = (x: number) => Math.round(x * 100) / 100;
export const hash16 = (fingerprint: string): string => createHash('sha256').update(fingerprint).digest('hex').slice(0, 16);

export function attemptOutcome(a: Attempt): Outcome {
  if (a.launch_state === 'launch_failed') return 'failed';
  if (a.status === 'SUCCEEDED') return 'succeeded';
  if (a.status === 'CANCELLED') return 'cancelled';
  if (a.status !== null && isFailure(a.status)) return 'failed';
  return 'running';
}

/** The fingerprint is redacted too: it is recorded with issues and embedded in their bodies. */
export function failureKey(a: Attempt): FailureKey {
  const key = rawFailureKey(a);
  return { ...key, fingerprint: redact(key.fingerprint) };
}

function rawFailureKey(a: Attempt): FailureKey {
  if (a.launch_state === 'launch_failed') {
    return { fingerprint: `${LAUNCH_FAILED}:${normalizeEvidence(a.launch_error ?? '')}`, root_cause_id: LAUNCH_FAILED, fixability: null, evidence: a.launch_error };
  }
  if (a.failure) {
    return { fingerprint: a.failure.fingerprint, root_cause_id: a.failure.category, fixability: a.failure.fixability, evidence: a.failure.line ?? a.failure_reason };
  }
  return {
    fingerprint: `UNDIAGNOSED:${a.status ?? ''}:${normalizeEvidence(a.failure_reason ?? '')}`,
    root_cause_id: 'UNDIAGNOSED',
    fixability: null,
    evidence: a.failure_reason,
  };
}

/** The F2 root cause that explained `condition` failing in `batch` (newest aggregation of the batch first). */
export function rootCauseOf(m: Manifest, condition: string, batch: number): RootCause | undefined {
  for (const agg of [...m.aggregations].reverse()) {
    if (agg.batch !== batch) continue;
    const cause = agg.root_causes.find((r) => r.conditions.includes(condition) || r.cancelled_by_kill_switch.includes(condition));
    if (cause) return cause;
  }
  return undefined;
}

function killSwitchFailure(m: Manifest, condition: string, batch: number): FailureKey | null {
  const firing = m.kill_switch.find((k) => k.batch === batch && k.cancelled.includes(condition));
  if (!firing) return null;
  const category = firing.fingerprint.split(':')[0] ?? 'UNKNOWN';
  const cause = rootCauseOf(m, condition, batch);
  return { fingerprint: redact(firing.fingerprint), root_cause_id: category, fixability: cause?.fixability ?? null, evidence: cause?.evidence ?? null };
}

function failedEver(a: Attempt): boolean {
  return attemptOutcome(a) === 'failed' || a.cancelled_by_kill_switch;
}

export function cycleState(m: Manifest): CycleState {
  const current = currentBatch(m);
  const limit = cycleLimit(m);
  return { current, limit, exhausted: current >= limit, authorizations: m.cycle_authorizations.length };
}

export function cycleCosts(m: Manifest): CycleCost[] {
  return m.batches.map((b) => {
    const attempts = m.jobs.flatMap((j) => j.attempts.filter((a) => a.batch === b.batch));
    const cost = attempts.reduce((s, a) => s + (a.cost_usd ?? 0), 0);
    return { batch: b.batch, jobs: attempts.length, cost_usd: round2(cost), image: b.docker_image };
  });
}

function causeOutcomes(m: Manifest): CauseOutcome[] {
  const latestPerBatch = new Map<number, Manifest['aggregations'][number]>();
  for (const agg of m.aggregations) latestPerBatch.set(agg.batch, agg);
  const nextAttempt = (condition: string, batch: number) =>
    m.jobs.find((j) => j.condition === condition)?.attempts.find((a) => a.batch > batch);
  const follow = (batch: number, conditions: string[]) => {
    const relaunched: CauseOutcome['relaunched'] = [];
    const not_relaunched: string[] = [];
    for (const c of conditions) {
      const next = nextAttempt(c, batch);
      if (!next) not_relaunched.push(c);
      else {
        const outcome = attemptOutcome(next);
        relaunched.push({ condition: c, batch: next.batch, outcome, category: outcome === 'failed' ? failureKey(next).root_cause_id : null });
      }
    }
    return { relaunched, not_relaunched };
  };
  const out: CauseOutcome[] = [];
  for (const agg of [...latestPerBatch.values()].sort((a, b) => a.batch - b.batch)) {
    const fixes = m.rebuilds.filter((r) => r.after_batch === agg.batch);
    for (const r of agg.root_causes) {
      out.push({
        batch: agg.batch,
        root_cause_id: r.root_cause_id,
        description: r.description,
        pattern: r.pattern,
        fixability: r.fixability,
        fix_strategy: r.fix_strategy,
        evidence: r.evidence,
        conditions: r.conditions,
        classified_by_agent: r.classified_by_agent ?? [],
        cancelled: r.cancelled_by_kill_switch,
        fixes,
        ...follow(agg.batch, [...r.conditions, ...r.cancelled_by_kill_switch]),
      });
    }
    if (agg.undiagnosed.length > 0) {
      const conditions = agg.undiagnosed.map((u) => u.condition);
      out.push({
        batch: agg.batch,
        root_cause_id: 'UNDIAGNOSED',
        description: agg.undiagnosed.map((u) => `${u.condition} (${u.status}): ${u.reason}`).join('; '),
        pattern: null,
        fixability: null,
        fix_strategy: 'no pattern explains these failures: read their logs',
        evidence: null,
        conditions,
        classified_by_agent: [],
        cancelled: [],
        fixes,
        ...follow(agg.batch, conditions),
      });
    }
  }
  return out;
}

function remainingFailures(m: Manifest, reports: Omit<ConditionReport, 'disposition'>[], state: CycleState): RemainingFailure[] {
  const groups = new Map<string, RemainingFailure>();
  for (const r of reports) {
    const isFailed = r.outcome === 'failed';
    const isKilled = r.outcome === 'cancelled' && r.cancelled_by_kill_switch;
    if ((!isFailed && !isKilled) || !r.failure || r.decided_batch === null) continue;
    let g = groups.get(r.failure.fingerprint);
    if (!g) {
      const cause = rootCauseOf(m, r.entry.condition, r.decided_batch);
      g = {
        fingerprint: r.failure.fingerprint,
        hash16: hash16(r.failure.fingerprint),
        root_cause_id: r.failure.root_cause_id,
        description: cause?.description ?? r.failure.root_cause_id,
        fixability: r.failure.fixability ?? cause?.fixability ?? null,
        pattern: cause?.pattern ?? null,
        first_seen: null,
        shared_levels: cause?.shared_levels ?? {},
        fix_strategy: cause?.fix_strategy ?? null,
        affected_files: cause?.affected_files ?? [],
        evidence: r.failure.evidence ?? cause?.evidence ?? null,
        failed: [],
        cancelled: [],
        fixes: [],
        batches: [],
        cost_usd: 0,
        fileable: false,
        why: '',
      };
      groups.set(g.fingerprint, g);
    }
    (isFailed ? g.failed : g.cancelled).push(r.entry.condition);
    if (g.evidence === null && isFailed) g.evidence = r.failure.evidence;
    g.cost_usd = round2(g.cost_usd + (r.entry.cost_usd ?? 0));
    for (const a of r.entry.attempts) if (!g.batches.includes(a.batch)) g.batches.push(a.batch);
  }
  for (const g of groups.values()) {
    g.batches.sort((a, b) => a - b);
    const failedIn = new Set(
      [...g.failed, ...g.cancelled].flatMap((c) => m.jobs.find((j) => j.condition === c)?.attempts.filter(failedEver).map((a) => a.batch) ?? []),
    );
    g.fixes = m.rebuilds.filter((rb) => failedIn.has(rb.after_batch));
    const first = m.aggregations
      .flatMap((agg) => agg.root_causes.filter((r) => r.fingerprints.some((f) => redact(f) === g.fingerprint)).map((r) => ({ batch: agg.batch, pattern: r.pattern })))
      .sort((a, b) => a.batch - b.batch)[0];
    if (first && first.pattern !== g.pattern) g.first_seen = first;
    if (g.failed.length === 0) {
      g.why = `cancelled by the kill switch because of ${g.root_cause_id} and not relaunched since`;
    } else if (g.fixability === 'unrecoverable') {
      g.fileable = true;
      g.why = 'fixability unrecoverable: a relaunch cannot fix it';
    } else if (state.exhausted) {
      g.fileable = true;
      g.why = `still failing after relaunch cycle ${state.current}, the last one allowed (F4 limit ${state.limit})`;
    } else {
      g.why = `relaunch cycle ${state.current + 1} of ${state.limit} is still available: fix and relaunch`;
    }
  }
  return [...groups.values()].sort(
    (a, b) => b.failed.length + b.cancelled.length - (a.failed.length + a.cancelled.length) || a.root_cause_id.localeCompare(b.root_cause_id),
  );
}

const levelsText = (levels: Record<string, Level>) =>
  Object.entries(levels)
    .map(([f, l]) => `${f}=${String(l)}`)
    .join(', ');

function recommendations(m: Manifest, model: Omit<ReportModel, 'recommendations' | 'tracking' | 'results' | 'time_cost'>): Recommendation[] {
  const out: Recommendation[] = [];
  const { cycle_state: s } = model;
  const perCondition = m.jobs.length ? m.total_estimated_cost / m.jobs.length : 0;
  for (const g of model.remaining) {
    const conditions = [...g.failed, ...g.cancelled];
    const fix = g.fix_strategy ? ` Suggested fix: ${g.fix_strategy}` : '';
    const rec = (kind: Recommendation['kind'], text: string) => out.push({ kind, root_cause_id: g.root_cause_id, conditions, text });
    if (g.failed.length === 0) {
      rec(
        s.exhausted ? 'authorize_cycles' : 'relaunch_cancelled',
        `${conditions.length} condition(s) cancelled by the kill switch for ${g.root_cause_id} were never relaunched: ` +
          (s.exhausted ? 'authorize one more cycle with a budget cap to run them.' : 'include them in the next relaunch.'),
      );
      continue;
    }
    const factorSpecific = Object.keys(g.shared_levels).length > 0 && g.failed.length < m.jobs.length;
    if (UPSTREAM.has(g.root_cause_id)) {
      rec('fix_upstream', `Fix the upstream dependency behind ${g.root_cause_id} (${g.description}) before any relaunch; no change to the training code will fix it.${fix}`);
    } else if (g.root_cause_id === 'UNKNOWN' || g.root_cause_id === 'UNDIAGNOSED') {
      rec('investigate', `${g.failed.length} failure(s) no pattern explains (${g.root_cause_id}): read their logs and file what you find.`);
      continue;
    } else if (g.root_cause_id === LAUNCH_FAILED) {
      rec(
        s.exhausted ? 'authorize_cycles' : 'fix_and_relaunch',
        `${g.failed.length} condition(s) never got past \`sky jobs launch\`: check the launch error (API server, credentials, quota), then ` +
          (s.exhausted ? 'authorize one more cycle with a budget cap to launch them.' : `relaunch them in cycle ${s.current + 1} of ${s.limit}.`),
      );
      continue;
    } else if (g.fixability === 'unrecoverable' || (s.exhausted && factorSpecific)) {
      const where = factorSpecific
        ? `conditions with ${levelsText(g.shared_levels)} keep failing with ${g.root_cause_id}: exclude that combination from the grid (exclude: [${JSON.stringify(g.shared_levels)}]) or change what it needs`
        : `${g.root_cause_id} affects conditions across the grid: change the setup they share`;
      rec('redesign', `Redesign the experiment: ${where}.${fix}`);
    }
    if (s.exhausted && g.fixability !== 'unrecoverable' && !UPSTREAM.has(g.root_cause_id)) {
      const estimate = round2(conditions.length * perCondition);
      const cap = round2(Math.max(m.budget_usd, model.cost_total_usd + estimate));
      rec(
        'authorize_cycles',
        `Authorize more cycles with a budget cap: the ${s.limit} allowed relaunch cycle(s) are used up (F4). Relaunching ` +
          `${conditions.length} condition(s) is estimated at $${estimate.toFixed(2)}; authorize max_cycles ${s.limit + 1} ` +
          `with budget_usd of at least $${cap.toFixed(2)} (spent so far $${model.cost_total_usd.toFixed(2)}), after the fix.${fix}`,
      );
    } else if (!s.exhausted && g.fixability !== 'unrecoverable') {
      rec(
        'fix_and_relaunch',
        `Fix ${g.root_cause_id}, rebuild and verify the image when the code changed (F3), then relaunch: cycle ${s.current + 1} of ${s.limit} is available.${fix}`,
      );
    }
  }
  const notLaunched = model.conditions.filter((c) => c.outcome === 'not_launched').map((c) => c.entry.condition);
  if (notLaunched.length) {
    out.push({ kind: 'launch', root_cause_id: null, conditions: notLaunched, text: `${notLaunched.length} condition(s) never launched: launch them (skyloop factorial launch) or drop them from the grid.` });
  }
  if (out.length === 0) {
    const running = model.totals.running;
    out.push({
      kind: 'none',
      root_cause_id: null,
      conditions: [],
      text: running ? `${running} condition(s) still running: watch them to the end, then report again.` : 'Nothing to do: every condition succeeded.',
    });
  }
  return out;
}

function disposition(r: Omit<ConditionReport, 'disposition'>, groups: Map<string, RemainingFailure>, issues: FiledIssue[]): Disposition {
  const { entry, outcome, decided_batch: batch } = r;
  if (outcome === 'succeeded') {
    if (!r.ever_failed) return { kind: 'succeeded', note: `succeeded in batch ${batch}` };
    const earlier = entry.attempts
      .filter(failedEver)
      .map((a) => `batch ${a.batch} ${a.cancelled_by_kill_switch && attemptOutcome(a) === 'cancelled' ? 'cancelled by the kill switch' : failureKey(a).root_cause_id}`);
    return { kind: 'fixed', note: `fixed and relaunched: ${earlier.join(', ')} → succeeded in batch ${batch}` };
  }
  if (outcome === 'running') return { kind: 'reported', note: `still running in batch ${batch} (status ${entry.status})` };
  if (outcome === 'not_launched') return { kind: 'reported', note: 'never launched' };
  const group = r.failure ? groups.get(r.failure.fingerprint) : undefined;
  const issue = group && [...issues].reverse().find((i) => i.fingerprint === group.fingerprint && i.conditions.includes(entry.condition));
  if (issue) {
    const where = issue.url ?? issue.draft_path ?? '';
    return { kind: 'issue', issue, note: `${issue.action === 'draft' ? 'issue draft' : 'issue'} for ${issue.root_cause_id}: ${where}` };
  }
  if (outcome === 'cancelled' && !r.cancelled_by_kill_switch) return { kind: 'reported', note: `cancelled in batch ${batch}, not by skyloop's kill switch` };
  if (group) {
    const prefix = outcome === 'cancelled' ? 'cancelled by the kill switch' : `failed (${group.root_cause_id})`;
    const filed = group.fileable ? '; no issue filed yet' : '';
    return { kind: 'reported', note: `${prefix} in batch ${batch}: ${group.why}${filed}` };
  }
  return { kind: 'reported', note: `${outcome} in batch ${batch}` };
}

export function buildReportModel(m: Manifest, options: ReportModelOptions = {}): ReportModel {
  const base = m.jobs.map((entry): Omit<ConditionReport, 'disposition'> => {
    const a = currentAttempt(entry);
    const outcome: Outcome = a ? attemptOutcome(a) : 'not_launched';
    const cancelledByKs = !!a && outcome === 'cancelled' && a.cancelled_by_kill_switch;
    let failure: FailureKey | null = null;
    if (a && outcome === 'failed') failure = failureKey(a);
    else if (a && cancelledByKs) failure = killSwitchFailure(m, entry.condition, a.batch);
    return {
      entry,
      outcome,
      decided_batch: a?.batch ?? null,
      job_ids: entry.attempts.map((x) => x.job_id).filter((id): id is number => id !== null),
      ever_failed: entry.attempts.some(failedEver),
      failure,
      cancelled_by_kill_switch: cancelledByKs,
    };
  });
  const state = cycleState(m);
  const remaining = remainingFailures(m, base, state);
  const groups = new Map(remaining.map((g) => [g.fingerprint, g]));
  const conditions = base.map((r) => ({ ...r, disposition: disposition(r, groups, m.issues) }));
  const totals = { conditions: conditions.length, succeeded: 0, failed: 0, cancelled: 0, not_launched: 0, running: 0 };
  for (const c of conditions) totals[c.outcome]++;
  const pct = (n: number) => (totals.conditions ? Math.round((n * 1000) / totals.conditions) / 10 : 0);
  const percentages = Object.fromEntries(OUTCOMES.map((o) => [o, pct(totals[o])])) as Record<Outcome, number>;
  const partial = {
    manifest: m,
    conditions,
    totals,
    percentages,
    cycles: cycleCosts(m),
    cycle_state: state,
    cost_total_usd: costSoFar(m),
    causes: causeOutcomes(m),
    remaining,
  };
  const settings = resultsSettingsOf(m);
  const server = options.server ?? trackingServer(settings, {});
  return {
    ...partial,
    recommendations: recommendations(m, partial),
    tracking: 'uri' in server ? { server: server.uri, note: null } : { server: null, note: server.none },
    results: analyzeResults(settings, m.factors, conditions),
    time_cost: timeAndCost(m),
  };
}
