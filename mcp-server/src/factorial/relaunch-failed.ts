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
import { beginBatch, currentAttempt, currentBatch, imageDigest, isFailedEntry, type Manifest } from './manifest.js';

export const RelaunchResultSchema = z.object({
  experiment_id: z.string(),
  batch: z.number().int().describe('The new batch (= relaunch cycle)'),
  conditions: z.array(z.string()),
  image: z.string().describe('The image the relaunched jobs run, pinned by digest after a rebuild'),
  estimated_cost_usd: z.number(),
  launched: z.number().int(),
  reconciled: z.number().int(),
  failed: z.array(z.object({ condition: z.string(), error: z.string() })),
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

/** Conditions to relaunch: the failed ones of the current batch and those the kill switch cancelled. */
export function relaunchCandidates(m: Manifest): string[] {
  const batch = currentBatch(m);
  return m.jobs
    .filter((j) => {
      const a = currentAttempt(j);
      return a?.batch === batch && (isFailedEntry(j) || a.cancelled_by_kill_switch);
    })
    .map((j) => j.condition);
}

export async function relaunchFailed(
  experimentId: string,
  options: { authorize?: CycleAuthorizationRequest },
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
    const conditions = relaunchCandidates(manifest);
    if (conditions.length === 0) {
      throw refuse('NOTHING_TO_RELAUNCH', `batch ${currentBatch(manifest)} has no failed or kill-switch-cancelled conditions`, [], vars);
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
    const f3 = checkRebuildBeforeRelaunch(manifest, source);
    enforce(f3, vars);
    const image = f3.image as string;
    const rules = [terminal.verdict, f4, budget, f2, f3].map((v) => v.reason);

    const next = currentBatch(manifest) + 1;
    const slugs = new Map(files.conditions.map((c) => [c.id, c.slug]));
    manifest = await store.update((m) => {
      beginBatch(
        m,
        { batch: next, started_at: ctx.now().toISOString(), git_commit: git.commit, git_dirty: git.dirty, config_sha256: files.configSha256, docker_image: image, docker_digest: imageDigest(image) },
        conditions.map((condition) => ({ condition, job_name: jobName(m.experiment_id, { slug: slugs.get(condition) as string }, next) })),
      );
      m.current_cycle = next;
      const events: EventPayload[] = [];
      if (authorization) {
        m.cycle_authorizations.push(authorization);
        m.budget_usd = authorization.budget_usd;
        events.push({ type: 'cycle_authorization', max_cycles: authorization.max_cycles, budget_usd: authorization.budget_usd, reason: authorization.reason });
      }
      events.push({ type: 'relaunch', batch: next, conditions, image, estimated_cost_usd: estimate, rules });
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
  const { launched, reconciled, failed } = await launchIntents(store, files.cfg, ctx);
  return {
    experiment_id: manifest.experiment_id,
    batch: batch.batch,
    conditions: batch.conditions,
    image: batch.docker_image,
    estimated_cost_usd: estimateLaunchCost(batch.conditions.length, files.cfg.cost.expected_hours, manifest.hourly_rate_usd, manifest.nodes_per_job),
    launched,
    reconciled,
    failed,
    rules,
    cycles: `this is relaunch cycle ${batch.batch} of ${cycleLimit(manifest)}${batch.batch >= cycleLimit(manifest) ? ', the last allowed cycle' : ''}`,
    next: `wait_for_change(experiment="${manifest.experiment_id}") until summary.all_terminal (CLI: skyloop factorial watch ${manifest.experiment_id})`,
  };
}
