// outputs/factorial_run_<experiment_id>.jsonl: one line per condition with its full record and attempt
// history, then, as the LAST line, the aggregated summary. Replaced atomically; every string is redacted.
import { join } from 'node:path';
import { writeFileDurably } from '../store/durable-file.js';
import { redactDeep } from '../redaction/redact.js';
import { failureKey, rootCauseOf } from './report-model.js';
export const RUN_JSONL_SCHEMA_VERSION = 1;
export const runJsonlPath = (outputsDir, experimentId) => join(outputsDir, `factorial_run_${experimentId}.jsonl`);
export function buildSummary(model, now) {
    const m = model.manifest;
    const accounting = { succeeded: 0, fixed: 0, issue: 0, reported: 0 };
    for (const c of model.conditions)
        accounting[c.disposition.kind]++;
    return {
        type: 'summary',
        schema_version: RUN_JSONL_SCHEMA_VERSION,
        experiment_id: m.experiment_id,
        generated_at: now.toISOString(),
        totals: model.totals,
        percentages: model.percentages,
        cycles: model.cycle_state,
        cost: {
            per_cycle: model.cycles.map(({ batch, jobs, cost_usd }) => ({ batch, jobs, cost_usd })),
            total_usd: model.cost_total_usd,
            budget_usd: m.budget_usd,
            estimated_usd: m.total_estimated_cost,
        },
        root_causes: model.causes.map((c) => ({
            batch: c.batch,
            root_cause_id: c.root_cause_id,
            conditions: c.conditions,
            cancelled_by_kill_switch: c.cancelled,
            pattern: c.pattern,
            fixability: c.fixability,
            fix_strategy: c.fix_strategy,
            fixes: c.fixes.map((r) => ({ rebuild: r.id, git_commit: r.git_commit, image: r.image, digest: r.digest, verified: r.verified, refused_reason: r.refused_reason })),
            outcome: {
                relaunched: c.relaunched.length,
                succeeded: c.relaunched.filter((r) => r.outcome === 'succeeded').length,
                failed_again: c.relaunched.filter((r) => r.outcome === 'failed').length,
                cancelled: c.relaunched.filter((r) => r.outcome === 'cancelled').length,
                running: c.relaunched.filter((r) => r.outcome === 'running').length,
                not_relaunched: c.not_relaunched.length,
            },
        })),
        remaining_failures: model.remaining.map((g) => ({
            fingerprint: g.fingerprint,
            root_cause_id: g.root_cause_id,
            failed: g.failed,
            cancelled: g.cancelled,
            fileable: g.fileable,
            why: g.why,
        })),
        accounting,
        issues: m.issues,
        recommendations: model.recommendations.map(({ kind, root_cause_id, text }) => ({ kind, root_cause_id, text })),
    };
}
/** One object per condition: the manifest entry as it is, plus its outcome, accounting and per-attempt causes. */
export function conditionLines(model) {
    const m = model.manifest;
    return model.conditions.map((c) => ({
        type: 'condition',
        schema_version: RUN_JSONL_SCHEMA_VERSION,
        experiment_id: m.experiment_id,
        ...c.entry,
        outcome: c.outcome,
        decided_batch: c.decided_batch,
        job_ids: c.job_ids,
        disposition: c.disposition.kind,
        disposition_note: c.disposition.note,
        issue_url: c.disposition.kind === 'issue' ? c.disposition.issue.url : null,
        issue_draft: c.disposition.kind === 'issue' ? c.disposition.issue.draft_path : null,
        attempts: c.entry.attempts.map((a) => {
            const failed = a.launch_state === 'launch_failed' || a.failure !== null;
            return {
                ...a,
                failure_category: failed ? failureKey(a).root_cause_id : null,
                failure_root_cause: failed ? (rootCauseOf(m, c.entry.condition, a.batch)?.root_cause_id ?? null) : null,
            };
        }),
    }));
}
export function renderRunJsonl(model, now) {
    const lines = [...conditionLines(model), buildSummary(model, now)];
    return lines.map((l) => JSON.stringify(redactDeep(l))).join('\n') + '\n';
}
export async function writeRunJsonl(outputsDir, model, now) {
    const path = runJsonlPath(outputsDir, model.manifest.experiment_id);
    writeFileDurably(path, renderRunJsonl(model, now));
    return path;
}
