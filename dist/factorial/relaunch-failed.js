// relaunch_failed: relaunch only the failed conditions of the current batch (and those the kill switch
// cancelled), in a new batch, once every rule agrees: F1 all terminal, F2 aggregated, F3 rebuilt and
// verified when the source changed, F4 within the cycle limit, and the estimate within the budget left.
// One process relaunches at a time, so concurrent calls launch exactly one batch.
import { dirname } from 'node:path';
import { z } from 'zod';
import { checkAggregated } from '../rules/aggregate-before-fix.js';
import { checkMaxRelaunchCycles } from '../rules/max-relaunch-cycles.js';
import { checkRebuildBeforeRelaunch } from '../rules/rebuild-before-relaunch.js';
import { checkRelaunchBudget } from '../rules/relaunch-budget.js';
import { RuleRefusal } from '../rules/rule-refusal.js';
import { checkWaitForTerminal } from '../rules/wait-for-terminal.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { gitState } from '../vcs/git-state.js';
import { jobName } from './conditions.js';
import { estimateLaunchCost } from './cost.js';
import { loadExperimentFiles } from './experiment-files.js';
import { withLaunchLock } from './launch-factorial.js';
import { launchIntents } from './launch-intents.js';
import { beginBatch, currentAttempt, currentBatch, imageDigest, isFailedEntry } from './manifest.js';
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
});
/** Conditions to relaunch: the failed ones of the current batch and those the kill switch cancelled. */
export function relaunchCandidates(m) {
    const batch = currentBatch(m);
    return m.jobs
        .filter((j) => {
        const a = currentAttempt(j);
        return a?.batch === batch && (isFailedEntry(j) || a.cancelled_by_kill_switch);
    })
        .map((j) => j.condition);
}
export async function relaunchFailed(experimentId, options, ctx) {
    const store = new ExperimentStore(ctx.outputsDir, experimentId);
    const files = loadExperimentFiles(store.read().config_file);
    return withLaunchLock(store, experimentId, async () => {
        let manifest = store.read();
        // A relaunch interrupted after its batch was recorded: finish launching it instead of starting another.
        if (currentBatch(manifest) > 0 && manifest.jobs.some((j) => currentAttempt(j)?.launch_state === 'intent')) {
            return finish(manifest, store, files, ctx, ['resuming the interrupted relaunch of this batch']);
        }
        if (options.authorize) {
            const auth = options.authorize;
            manifest = await store.update((m) => {
                m.cycle_authorizations.push({ at: ctx.now().toISOString(), ...auth });
                m.budget_usd = auth.budget_usd;
                return { events: [{ type: 'cycle_authorization', ...auth }], result: m };
            });
        }
        const f1 = checkWaitForTerminal(manifest, { killSwitchException: false });
        if (!f1.allowed)
            throw new RuleRefusal(f1.rule, f1.reason, f1.details);
        const conditions = relaunchCandidates(manifest);
        if (conditions.length === 0)
            throw new RuleRefusal('NOTHING TO RELAUNCH', `batch ${currentBatch(manifest)} has no failed or kill-switch-cancelled conditions`);
        const git = await gitState(dirname(files.configPath));
        const source = { git_commit: git.commit, git_dirty: git.dirty, config_sha256: files.configSha256 };
        const estimate = estimateLaunchCost(conditions.length, files.cfg.cost.expected_hours, manifest.hourly_rate_usd, manifest.nodes_per_job);
        const f3 = checkRebuildBeforeRelaunch(manifest, source);
        const verdicts = [
            f1,
            checkAggregated(manifest),
            f3,
            checkMaxRelaunchCycles(manifest),
            checkRelaunchBudget(manifest, estimate),
        ];
        const refusal = verdicts.find((v) => !v.allowed);
        if (refusal && !refusal.allowed)
            throw new RuleRefusal(refusal.rule, refusal.reason, refusal.details);
        const image = f3.image;
        const rules = verdicts.map((v) => v.reason);
        const next = currentBatch(manifest) + 1;
        const slugs = new Map(files.conditions.map((c) => [c.id, c.slug]));
        manifest = await store.update((m) => {
            beginBatch(m, { batch: next, started_at: ctx.now().toISOString(), git_commit: git.commit, git_dirty: git.dirty, config_sha256: files.configSha256, docker_image: image, docker_digest: imageDigest(image) }, conditions.map((condition) => ({ condition, job_name: jobName(m.experiment_id, { slug: slugs.get(condition) }, next) })));
            m.current_cycle = next;
            const event = { type: 'relaunch', batch: next, conditions, image, estimated_cost_usd: estimate, rules };
            return { events: [event], result: m };
        });
        return finish(manifest, store, files, ctx, rules);
    });
}
async function finish(manifest, store, files, ctx, rules) {
    const batch = manifest.batches.at(-1);
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
    };
}
