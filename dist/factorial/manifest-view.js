// The manifest as an agent should read it: the newest attempt of each condition, each failure fingerprint
// once, and one line per batch, rebuild, aggregation and kill-switch firing. The full manifest (every
// attempt, with its evidence) stays the truth for people and tools; this view is what stays small.
import { cycleLimit } from '../rules/max-relaunch-cycles.js';
import { costSoFar, currentAttempt, currentBatch } from './manifest.js';
export const MANIFEST_VIEW_SCHEMA_VERSION = 1;
const round = (n) => Math.round(n * 100) / 100;
export function manifestView(m) {
    const keys = new Map();
    const fingerprints = {};
    const keyOf = (f) => {
        if (!f)
            return null;
        let key = keys.get(f.fingerprint);
        if (!key) {
            key = `fp${keys.size + 1}`;
            keys.set(f.fingerprint, key);
            fingerprints[key] = { category: f.category, fingerprint: f.fingerprint, line: f.line, fixability: f.fixability };
        }
        return key;
    };
    const conditions = m.jobs.map((j) => {
        const a = currentAttempt(j);
        const ran = j.attempts.map((x) => x.duration_seconds).filter((d) => d !== null);
        return {
            condition: j.condition,
            status: j.status,
            job_id: j.job_id,
            batch: a?.batch ?? 0,
            attempts: j.attempts.length,
            ran_s: ran.length ? Math.round(ran.reduce((s, d) => s + d, 0)) : null,
            cost_usd: j.cost_usd,
            failure: keyOf(a?.failure ?? null),
            cancelled_by_kill_switch: a?.cancelled_by_kill_switch ?? false,
        };
    });
    const byFingerprint = (fp) => keys.get(fp) ?? fp;
    return {
        schema_version: MANIFEST_VIEW_SCHEMA_VERSION,
        experiment_id: m.experiment_id,
        current_batch: currentBatch(m),
        relaunch_cycles: { done: currentBatch(m), limit: cycleLimit(m) },
        cost: { so_far_usd: round(costSoFar(m)), estimated_usd: m.total_estimated_cost, budget_usd: m.budget_usd },
        fingerprints,
        conditions,
        batches: m.batches.map((b) => ({ batch: b.batch, started_at: b.started_at, git_commit: b.git_commit, image: b.docker_image, conditions: b.conditions.length })),
        kill_switch: m.kill_switch.map((k) => ({ batch: k.batch, failure: byFingerprint(k.fingerprint), cancelled: k.cancelled })),
        aggregations: m.aggregations.map((g) => ({
            batch: g.batch,
            failed: g.failed,
            root_causes: g.root_causes.map((r) => ({ id: r.root_cause_id, conditions: r.conditions.length, pattern: r.pattern, fixability: r.fixability })),
            undiagnosed: g.undiagnosed.map((u) => u.condition),
        })),
        rebuilds: m.rebuilds.map((r) => ({ id: r.id, after_batch: r.after_batch, verified: r.verified, git_commit: r.git_commit, digest: r.digest, refused_reason: r.refused_reason })),
    };
}
