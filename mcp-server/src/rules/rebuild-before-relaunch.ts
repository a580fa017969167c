// F3 REBUILD-BEFORE-RELAUNCH: when code or config changed since the failed batch launched, only an image
// rebuilt from that change, pushed, and verified by digest in the registry may be relaunched, pinned by
// digest. When nothing changed, a relaunch is only worth it for causes a retry can fix. Uncommitted changes
// are refused outright: an image built from them could not be traced to any commit.
import type { Manifest } from '../factorial/manifest.js';
import { withDigest } from '../registry/image-reference.js';
import type { RuleVerdict } from './wait-for-terminal.js';

export interface SourceState {
  git_commit: string | null;
  git_dirty: boolean | null;
  config_sha256: string;
}

/**
 * Causes an identical relaunch can get past (a flaky service, a network blip). `auto` fixes are applied
 * by the single-job loop to a copy of the task; a factorial relaunch applies none, so they need a change.
 */
const RETRYABLE = new Set(['transient']);

const F3 = 'F3 REBUILD-BEFORE-RELAUNCH';

/** F3 for a rebuild or a relaunch: nothing may be built or relaunched from an uncommitted tree. */
export function checkCommittedTree(now: Pick<SourceState, 'git_dirty'>, what: 'rebuild' | 'relaunch'): RuleVerdict {
  if (now.git_dirty !== true) return { allowed: true, reason: 'no uncommitted changes in the work tree' };
  return {
    allowed: false,
    refusal: 'F3_DIRTY_TREE',
    rule: F3,
    reason: `the work tree has uncommitted changes to tracked files; a ${what} must come from a commit, so that the image can be traced to it`,
    details: [],
  };
}

/**
 * `retrying`: the conditions relaunched on unchanged resources (default: every failure of the batch); a
 * condition moved to fallback resources is a changed relaunch, and a selection leaves the others out.
 */
export function checkRebuildBeforeRelaunch(m: Manifest, now: SourceState, retrying?: Set<string>): RuleVerdict & { image?: string } {
  const batch = m.batches.at(-1);
  if (!batch) return { allowed: false, refusal: 'F3_NOT_LAUNCHED', rule: F3, reason: 'nothing was launched yet', details: [] };
  const dirty = checkCommittedTree(now, 'relaunch');
  if (!dirty.allowed) return dirty;
  const changes = [
    now.git_commit !== batch.git_commit && `commit ${short(batch.git_commit)} → ${short(now.git_commit)}`,
    now.config_sha256 !== batch.config_sha256 && 'the experiment config or task YAML changed',
  ].filter((c): c is string => typeof c === 'string');

  const aggregation = m.aggregations.find((a) => a.batch === batch.batch);
  if (changes.length === 0) {
    const needsFix = (aggregation?.root_causes ?? []).filter(
      (r) => !RETRYABLE.has(r.fixability) && (retrying === undefined || r.conditions.some((c) => retrying.has(c))),
    );
    if (needsFix.length > 0) {
      return {
        allowed: false,
        refusal: 'F3_NOTHING_CHANGED',
        rule: F3,
        reason: `nothing changed since batch ${batch.batch} launched, and ${needsFix.map((r) => `${r.root_cause_id} (${r.fixability})`).join(', ')} will fail the same way again: fix it, then rebuild`,
        details: [],
      };
    }
    return { allowed: true, reason: `no code or config change since batch ${batch.batch}: the same image is relaunched`, image: batch.docker_image };
  }
  const since = aggregation ? Date.parse(aggregation.created_at) : Date.parse(batch.started_at);
  const newer = m.rebuilds.filter((r) => Date.parse(r.at) > since);
  const rebuild = [...newer].reverse().find((r) => r.verified);
  const latest = newer.at(-1);
  if (!rebuild || rebuild.digest === null) {
    if (latest && !latest.verified) {
      return {
        allowed: false,
        refusal: 'F3_REBUILD_NOT_VERIFIED',
        rule: F3,
        reason: `code or config changed since batch ${batch.batch} launched, and rebuild #${latest.id} was not verified: ${latest.refused_reason ?? 'no reason recorded'}`,
        details: changes,
      };
    }
    return {
      allowed: false,
      refusal: 'F3_NO_REBUILD',
      rule: F3,
      reason: `code or config changed since batch ${batch.batch} launched, and no verified rebuild is newer than its aggregation`,
      details: changes,
    };
  }
  if (rebuild.git_commit !== now.git_commit || rebuild.config_sha256 !== now.config_sha256) {
    return {
      allowed: false,
      refusal: 'F3_OUTDATED_REBUILD',
      rule: F3,
      reason: `the verified rebuild #${rebuild.id} was made from ${short(rebuild.git_commit)}, but the source has changed since: rebuild again`,
      details: changes,
    };
  }
  return { allowed: true, reason: `verified rebuild #${rebuild.id} (${rebuild.digest})`, image: withDigest(rebuild.image, rebuild.digest) };
}

const short = (commit: string | null) => (commit === null ? 'no commit' : commit.slice(0, 8));
