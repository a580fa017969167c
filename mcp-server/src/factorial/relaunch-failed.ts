// relaunch_failed: relaunch only the failed conditions of the current batch (and those the kill switch
// cancelled), in a new batch, once every rule agrees: F1 all terminal, F2 aggregated, F3 rebuilt and
// verified when the source changed, F4 within the cycle limit, and the estimate within the budget left.
// One process relaunches at a time, so concurrent calls launch exactly one batch.
import { dirname } from 'node:path';
import { z } from 'zod';
import { checkAggregated } from '../rules/aggregate-before-fix.js';
import { checkMaxRelaunchCycles, cycleLimit } from '../rules/max-relaunch-cycles.js';
import { checkRebuildBeforeRelaunch } from '../rules/rebuild-before-relaunch.js';
import { checkRelaunchBudget } from '../rules/relaunch-budget.js';
import { enforce, refuse } from '../rules/rule-refusal.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { gitState } from '../vcs/git-state.js';
import { jobName } from './conditions.js';
import { estimateLaunchCost } from './cost.js';
import type { EventPayload } from './events.js';
import { loadExperimentFiles } from './experiment-files.js';
import type { FactorialContext } from './factorial-context.js';
import { withLaunchLock } from './launch-factorial.js';
import { launchIntents } from './launch-intents.js';
import { checkTerminalNow } from './terminal-now.js';
import { beginBatch, currentAttempt, currentBatch, findEntry, imageDigest, isFailedEntry, type Manifest, type Resources } from './manifest.js';

export const describeResources = (r: Resources): string =>
  [r.infra, r.gpus, r.use_spot === undefined ? undefined : r.use_spot ? 'spot' : 'on-demand'].filter(Boolean).join(' ') || 'the default resources';

export const RelaunchResultSchema = z.object({
  experiment_id: z.string(),
  batch: z.number().int().describe('The new batch (= relaunch cycle)'),
  conditions: z.array(z.string()),
  image: z.string().describe('The image the relaunched jobs run, pinned by digest after a rebuild'),
  estimated_cost_usd: z.number(),
  launched: z.number().int(),
  reconciled: z.number().int(),
  failed: z.array(z.object({ condition: z.string(), error: z.string() })),
  outcome_unknown: z
    .array(z.object({ condition: z.string(), error: z.string() }))
    .describe('sky may have submitted these although it reported an error: not failed, reconciled by job name on every poll'),
  rules: z.array(z.string()).describe('Why each rule allowed the relaunch'),
  cycles: z.string().describe('Where F4 stands after this batch, e.g. "no relaunch cycle is left"'),
  next: z.string().describe('The next call'),
});
export type RelaunchResult = z.infer<typeof RelaunchResultSchema>;

export interface CycleAuthorizationRequest {
  max_cycles: number;
  budget_usd: number;
  reason: string;
}

export interface RelaunchSelection {
  /** Exactly these conditions (each must be terminal and not succeeded); default: every candidate. */
  conditions?: string[] | undefined;
  /** Also relaunch conditions cancelled by a person (through skyloop or by hand with `sky jobs cancel`). */
  include_cancelled?: boolean | undefined;
  /** Leave out failures of these categories. */
  exclude_categories?: string[] | undefined;
  /** Who asked: a person/agent, or the supervisor's autopilot (recorded in the event). */
  by?: 'request' | 'autopilot' | undefined;
}

/** Fixabilities a relaunch without a change cannot get past: skipped unless named with `conditions`. */
const NEEDS_A_CHANGE = new Set(['unrecoverable']);

/**
 * Conditions to relaunch: those whose newest attempt failed, was cancelled by the kill switch, or was
 * cancelled by the supervisor because it was stuck; with `include_cancelled`, also those a person cancelled.
 * By default a failure the pattern library marks unrecoverable (data missing, credentials) is skipped.
 */
export function relaunchCandidates(m: Manifest, selection: RelaunchSelection = {}): { conditions: string[]; skipped: string[] } {
  const excluded = new Set(selection.exclude_categories ?? []);
  const named = selection.conditions ? new Set(selection.conditions) : null;
  const conditions: string[] = [];
  const skipped: string[] = [];
  for (const j of m.jobs) {
    const a = currentAttempt(j);
    if (!a) continue;
    if (named && !named.has(j.condition)) continue;
    const stuck = a.cancel?.by === 'supervisor' && a.cancel.reason === 'stuck' && j.status === 'CANCELLED';
    const cancelledByPerson = j.status === 'CANCELLED' && !a.cancelled_by_kill_switch && !stuck;
    const eligible = isFailedEntry(j) || a.cancelled_by_kill_switch || stuck || (cancelledByPerson && (selection.include_cancelled || named !== null));
    if (!eligible) continue;
    const category = a.failure?.category ?? null;
    if (category !== null && excluded.has(category)) {
      skipped.push(`${j.condition} (${category}: excluded)`);
    } else if (!named && a.failure && NEEDS_A_CHANGE.has(a.failure.fixability)) {
      skipped.push(`${j.condition} (${a.failure.category} is ${a.failure.fixability} without a change: name it with --condition to relaunch it anyway)`);
    } else {
      conditions.push(j.condition);
    }
  }
  if (named) {
    const unknown = [...named].filter((c) => !m.jobs.some((j) => j.condition === c));
    if (unknown.length > 0) throw refuse('NOTHING_TO_RELAUNCH', `not a condition of ${m.experiment_id}: ${unknown.join(', ')}`, [], { experiment: m.experiment_id });
    const notRelaunchable = [...named].filter((c) => !conditions.includes(c) && !skipped.some((s) => s.startsWith(`${c} `)));
    if (notRelaunchable.length > 0) {
      throw refuse('NOTHING_TO_RELAUNCH', `not failed or cancelled, so not relaunchable: ${notRelaunchable.join(', ')}`, [], { experiment: m.experiment_id });
    }
  }
  return { conditions, skipped };
}

/** The fallback resources each condition moves to: stuck ones (no capacity) take their next untried entry. */
export function fallbackResources(m: Manifest, conditions: string[], fallback: Resources[]): Map<string, Resources> {
  const out = new Map<string, Resources>();
  if (fallback.length === 0) return out;
  for (const c of conditions) {
    const j = findEntry(m, c);
    const a = currentAttempt(j);
    const noCapacity = a?.cancel?.reason === 'stuck' || (a?.failure && CAPACITY_CATEGORIES.has(a.failure.category));
    if (!noCapacity) continue;
    const tried = new Set(j.attempts.map((x) => JSON.stringify(x.resources ?? {})));
    const next = fallback.find((f) => !tried.has(JSON.stringify(f)));
    if (next) out.set(c, next);
  }
  return out;
}

/** What a controller log shows when a job could not get resources where it asked. */
const CAPACITY_CATEGORIES = new Set(['GPU_SOLD_OUT', 'QUOTA_EXCEEDED', 'INFEASIBLE_RESOURCES']);

export async function relaunchFailed(
  experimentId: string,
  options: { authorize?: CycleAuthorizationRequest | undefined; selection?: RelaunchSelection | undefined },
  ctx: FactorialContext,
): Promise<RelaunchResult> {
  const store = new ExperimentStore(ctx.outputsDir, experimentId);
  const files = loadExperimentFiles(store.read().config_file);
  return withLaunchLock(store, experimentId, async () => {
    let manifest = store.read();
    // A relaunch interrupted after its batch was recorded: finish launching it instead of starting another.
    if (currentBatch(manifest) > 0 && manifest.jobs.some((j) => currentAttempt(j)?.launch_state === 'intent')) {
      return finish(manifest, store, files, ctx, ['resuming the interrupted relaunch of this batch']);
    }
    const vars = { experiment: experimentId, config: manifest.config_file };
    const terminal = await checkTerminalNow(store, ctx, { killSwitchException: false });
    enforce(terminal.verdict, vars);
    manifest = terminal.manifest;
    const selection = options.selection ?? {};
    const { conditions, skipped } = relaunchCandidates(manifest, selection);
    if (conditions.length === 0) {
      throw refuse('NOTHING_TO_RELAUNCH', `batch ${currentBatch(manifest)} has no failed, kill-switch-cancelled or stuck-cancelled conditions` +
        (selection.include_cancelled ? '' : ' (conditions a person cancelled need --include-cancelled)'), skipped, vars);
    }
    // An authorization counts for this check only; it is recorded with the batch it allows, so a refused
    // attempt changes nothing.
    const authorization = options.authorize ? { at: ctx.now().toISOString(), ...options.authorize } : null;
    const proposed: Manifest = authorization
      ? { ...manifest, cycle_authorizations: [...manifest.cycle_authorizations, authorization], budget_usd: authorization.budget_usd }
      : manifest;
    const estimate = estimateLaunchCost(conditions.length, files.cfg.cost.expected_hours, manifest.hourly_rate_usd, manifest.nodes_per_job);
    // The final refusals first (no fix changes them), then those a fix and a rebuild answer.
    const f4 = checkMaxRelaunchCycles(proposed);
    enforce(f4, vars);
    const budget = checkRelaunchBudget(proposed, estimate);
    enforce(budget, vars);
    const f2 = checkAggregated(manifest);
    enforce(f2, vars);
    const git = await gitState(dirname(files.configPath));
    const source = { git_commit: git.commit, git_dirty: git.dirty, config_sha256: files.configSha256 };
    const moved = fallbackResources(manifest, conditions, files.cfg.relaunch.fallback);
    const f3 = checkRebuildBeforeRelaunch(manifest, source, new Set(conditions.filter((c) => !moved.has(c))));
    enforce(f3, vars);
    const image = f3.image as string;
    const rules = [terminal.verdict, f4, budget, f2, f3].map((v) => v.reason);
    if (skipped.length > 0) rules.push(`skipped ${skipped.join('; ')}`);
    for (const [c, r] of moved) rules.push(`${c} moves to ${describeResources(r)} (next untried fallback resources)`);

    const next = currentBatch(manifest) + 1;
    const slugs = new Map(files.conditions.map((c) => [c.id, c.slug]));
    manifest = await store.update((m) => {
      beginBatch(
        m,
        { batch: next, started_at: ctx.now().toISOString(), git_commit: git.commit, git_dirty: git.dirty, config_sha256: files.configSha256, docker_image: image, docker_digest: imageDigest(image) },
        conditions.map((condition) => ({ condition, job_name: jobName(m.experiment_id, { slug: slugs.get(condition) as string }, next) })),
        moved,
      );
      m.current_cycle = next;
      const events: EventPayload[] = [];
      if (authorization) {
        m.cycle_authorizations.push(authorization);
        m.budget_usd = authorization.budget_usd;
        events.push({ type: 'cycle_authorization', max_cycles: authorization.max_cycles, budget_usd: authorization.budget_usd, reason: authorization.reason });
      }
      m.supervisor.finished_at = null; // a new batch re-opens the experiment for the supervisor
      events.push({ type: 'relaunch', batch: next, conditions, image, estimated_cost_usd: estimate, rules: selection.by === 'autopilot' ? ['decided by the supervisor autopilot', ...rules] : rules });
      return { events, result: m };
    });
    return finish(manifest, store, files, ctx, rules);
  });
}

async function finish(
  manifest: Manifest,
  store: ExperimentStore,
  files: ReturnType<typeof loadExperimentFiles>,
  ctx: FactorialContext,
  rules: string[],
): Promise<RelaunchResult> {
  const batch = manifest.batches.at(-1)!;
  const { launched, reconciled, failed, outcome_unknown } = await launchIntents(store, files.cfg, ctx);
  return {
    experiment_id: manifest.experiment_id,
    batch: batch.batch,
    conditions: batch.conditions,
    image: batch.docker_image,
    estimated_cost_usd: estimateLaunchCost(batch.conditions.length, files.cfg.cost.expected_hours, manifest.hourly_rate_usd, manifest.nodes_per_job),
    launched,
    reconciled,
    failed,
    outcome_unknown,
    rules,
    cycles: `this is relaunch cycle ${batch.batch} of ${cycleLimit(manifest)}${batch.batch >= cycleLimit(manifest) ? ', the last allowed cycle' : ''}`,
    next: `wait_for_change(experiment="${manifest.experiment_id}") until summary.all_terminal (CLI: skyloop factorial watch ${manifest.experiment_id})`,
  };
}
