import { withDigest } from '../registry/image-reference.js';
/**
 * Causes an identical relaunch can get past (a flaky service, a network blip). `auto` fixes are applied
 * by the single-job loop to a copy of the task; a factorial relaunch applies none, so they need a change.
 */
const RETRYABLE = new Set(['transient']);
export function checkRebuildBeforeRelaunch(m, now) {
    const batch = m.batches.at(-1);
    if (!batch)
        return { allowed: false, rule: 'F3 REBUILD-BEFORE-RELAUNCH', reason: 'nothing was launched yet', details: [] };
    const changes = [
        now.git_commit !== batch.git_commit && `commit ${short(batch.git_commit)} → ${short(now.git_commit)}`,
        now.git_dirty === true && 'uncommitted changes in the work tree',
        now.config_sha256 !== batch.config_sha256 && 'the experiment config or task YAML changed',
    ].filter((c) => typeof c === 'string');
    const aggregation = m.aggregations.find((a) => a.batch === batch.batch);
    if (changes.length === 0) {
        const needsFix = (aggregation?.root_causes ?? []).filter((r) => !RETRYABLE.has(r.fixability));
        if (needsFix.length > 0) {
            return {
                allowed: false,
                rule: 'F3 REBUILD-BEFORE-RELAUNCH',
                reason: `nothing changed since batch ${batch.batch} launched, and ${needsFix.map((r) => `${r.root_cause_id} (${r.fixability})`).join(', ')} will fail the same way again: fix it, then rebuild`,
                details: [],
            };
        }
        return { allowed: true, reason: `no code or config change since batch ${batch.batch}: the same image is relaunched`, image: batch.docker_image };
    }
    const since = aggregation ? Date.parse(aggregation.created_at) : Date.parse(batch.started_at);
    const rebuild = [...m.rebuilds].reverse().find((r) => r.verified && Date.parse(r.at) > since);
    const refuse = (reason) => ({ allowed: false, rule: 'F3 REBUILD-BEFORE-RELAUNCH', reason, details: changes });
    if (!rebuild || rebuild.digest === null) {
        return refuse(`code or config changed since batch ${batch.batch} launched, and no verified rebuild is newer than its aggregation: run skyloop factorial rebuild (rebuild_and_verify_digest) first`);
    }
    if (rebuild.git_commit !== now.git_commit || rebuild.config_sha256 !== now.config_sha256 || (now.git_dirty && !rebuild.git_dirty)) {
        return refuse(`the verified rebuild #${rebuild.id} was made from ${short(rebuild.git_commit)}, but the source has changed since: rebuild again`);
    }
    return { allowed: true, reason: `verified rebuild #${rebuild.id} (${rebuild.digest})`, image: withDigest(rebuild.image, rebuild.digest) };
}
const short = (commit) => (commit === null ? 'no commit' : commit.slice(0, 8));
