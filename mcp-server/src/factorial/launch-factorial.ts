// Launch a factorial grid: validate, estimate cost, record every condition and launch intent in the
// manifest, then submit one SkyPilot managed job per condition with bounded concurrency. Re-running it
// after an interruption reconciles with the queue by job name and never launches a condition twice.
import { dirname } from 'node:path';
import { z } from 'zod';
import { refuse } from '../rules/rule-refusal.js';
import { LockBusyError, withFileLock } from '../store/file-lock.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { resolveResultsSettings } from '../tracking/results-settings.js';
import { gitState } from '../vcs/git-state.js';
import { jobName, type Condition } from './conditions.js';
import { estimateLaunchCost } from './cost.js';
import { locateOutputsDir, recordInIndex } from './experiment-index.js';
import { loadExperimentFiles, type ExperimentFiles } from './experiment-files.js';
import type { FactorialContext } from './factorial-context.js';
import { launchIntents, retryFailedLaunches } from './launch-intents.js';
import { beginBatch, createManifest, currentAttempt, imageDigest } from './manifest.js';
import { summarize } from './summary.js';

export class LaunchRefused extends Error {
  override readonly name = 'LaunchRefused';
}

export const LaunchFactorialResultSchema = z.object({
  experiment_id: z.string(),
  manifest_path: z.string(),
  events_path: z.string(),
  conditions: z.number().int(),
  estimated_cost_usd: z.number(),
  launched: z.number().int().describe('Jobs submitted by this call'),
  reconciled: z.number().int().describe('Found in the queue by job name after an interrupted run, not launched again'),
  already_launched: z.number().int(),
  failed: z.array(z.object({ condition: z.string(), error: z.string() })),
  all_terminal: z.boolean().describe('Nothing was left to launch and every job of the experiment is terminal'),
  outcome_unknown: z
    .array(z.object({ condition: z.string(), error: z.string() }))
    .describe('sky may have submitted these although it reported an error: not failed, reconciled by job name on every poll'),
});
export type LaunchFactorialResult = z.infer<typeof LaunchFactorialResultSchema>;

export async function launchFactorial(
  configPath: string,
  { approve = false, onProgress }: { approve?: boolean; onProgress?: (submitted: number, total: number) => void },
  ctx: FactorialContext,
): Promise<LaunchFactorialResult> {
  const files = loadExperimentFiles(configPath);
  const { cfg, task, conditions } = files;
  const image = files.image;
  const vars = { experiment: cfg.experiment, config: configPath };
  if (image === null || !image.startsWith('docker:')) {
    throw refuse(
      'BARE_VM',
      `${files.taskPath}: the task runs on a bare VM image (${image ?? 'no resources.image_id'}); skyloop launches ` +
        'experiments only in a docker image (set resources.image_id: docker:<ref> or `image:` in the config) ' +
        'so that a rebuilt image is what a relaunch really runs',
      [],
      vars,
    );
  }
  const rate = cfg.cost.hourly_rate_usd ?? (await ctx.hourlyRate(task.accelerators, task.use_spot));
  if (rate === null) {
    throw refuse(
      'NO_HOURLY_RATE',
      `no hourly rate: the config has no cost.hourly_rate_usd and \`sky gpus list\` has no price for ${task.accelerators ?? 'the task (no accelerators)'}`,
      [],
      vars,
    );
  }
  const estimate = estimateLaunchCost(conditions.length, cfg.cost.expected_hours, rate, task.num_nodes);
  const arithmetic =
    `${conditions.length} conditions × ${cfg.cost.expected_hours} h × $${rate}/h` +
    `${cfg.cost.hourly_rate_usd === undefined ? ' (catalog price)' : ''} × ${task.num_nodes} node(s) = $${estimate.toFixed(2)}`;
  if (estimate > cfg.cost.budget_usd) {
    throw refuse('BUDGET_LAUNCH', `estimated cost $${estimate.toFixed(2)} (${arithmetic}) exceeds the budget of $${cfg.cost.budget_usd}`, [], vars);
  }
  if (estimate > cfg.cost.approval_threshold_usd && !approve) {
    throw refuse(
      'APPROVAL',
      `estimated cost $${estimate.toFixed(2)} (${arithmetic}) is above the approval threshold of $${cfg.cost.approval_threshold_usd}: ` +
        'the user must approve it',
      [],
      vars,
    );
  }

  // A re-launch from another directory finds the experiment where its first launch put it.
  const store = new ExperimentStore(locateOutputsDir(cfg.experiment, ctx.outputsDir), cfg.experiment);
  const manifest = await store.create(
    createManifest({
      experimentId: cfg.experiment,
      configFile: files.configPath,
      taskYaml: files.taskPath,
      factors: cfg.factors,
      conditions,
      image,
      hourlyRateUsd: rate,
      nodesPerJob: task.num_nodes,
      budgetUsd: cfg.cost.budget_usd,
      estimatedCostUsd: estimate,
      maxRelaunchCycles: cfg.relaunch.max_cycles,
      monitor: { ...cfg.monitor, kill_switch: cfg.kill_switch },
      results: resolveResultsSettings(cfg),
      now: ctx.now(),
    }),
    [],
  );
  // Only a default (working-directory relative) outputs dir needs remembering; SKYLOOP_OUTPUTS_DIR is explicit.
  if (!process.env.SKYLOOP_OUTPUTS_DIR) {
    await recordInIndex(cfg.experiment, { outputs_dir: store.outputsDir, config_file: files.configPath, launched_at: manifest.created_at });
  }
  const known = new Set(manifest.jobs.map((j) => j.condition));
  if (known.size !== conditions.length || conditions.some((c) => !known.has(c.id))) {
    throw new LaunchRefused(
      `experiment '${cfg.experiment}' already exists with a different grid (${store.manifestPath}); ` +
        'give the changed experiment a new name',
    );
  }

  // One launcher per experiment at a time; a crashed launcher's lock is taken over at once.
  return withLaunchLock(store, cfg.experiment, () => launchPending(files, image, estimate, store, ctx, onProgress));
}

/** Only one process launches (or relaunches) an experiment at a time. */
export function withLaunchLock<T>(store: ExperimentStore, experiment: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(`${store.manifestPath}.launch`, fn, 0).catch((e: Error) => {
    if (e instanceof LockBusyError) {
      throw new LaunchRefused(`another skyloop process is launching experiment '${experiment}' right now (lock ${e.lockPath}, held by ${e.owner})`);
    }
    throw e;
  });
}

async function launchPending(
  files: ExperimentFiles,
  image: string,
  estimate: number,
  store: ExperimentStore,
  ctx: FactorialContext,
  onProgress?: (submitted: number, total: number) => void,
): Promise<LaunchFactorialResult> {
  const { cfg, conditions } = files;
  const git = await gitState(dirname(files.configPath));
  // Record intents for conditions never launched (all of them on a first run). A launch that failed
  // never created a job, so a re-run tries it again in the same batch.
  await store.update((m) => {
    retryFailedLaunches(m);
    const fresh = m.jobs.filter((j) => j.attempts.length === 0);
    if (fresh.length === 0) return { events: [], result: undefined };
    const batch = 0;
    beginBatch(
      m,
      {
        batch, started_at: ctx.now().toISOString(), git_commit: git.commit, git_dirty: git.dirty,
        config_sha256: files.configSha256, docker_image: image, docker_digest: imageDigest(image),
      },
      fresh.map((j) => ({ condition: j.condition, job_name: jobName(cfg.experiment, { slug: slugOf(conditions, j.condition) }, batch) })),
    );
    return {
      events: [{ type: 'launch_intent', batch, conditions: fresh.map((j) => j.condition), estimated_cost_usd: estimate }],
      result: undefined,
    };
  });

  const alreadyLaunched = store.read().jobs.filter((j) => currentAttempt(j)?.launch_state === 'launched').length;
  const { launched, reconciled, failed, outcome_unknown } = await launchIntents(store, cfg, ctx, onProgress);
  return {
    experiment_id: cfg.experiment,
    manifest_path: store.manifestPath,
    events_path: store.eventsPath,
    conditions: conditions.length,
    estimated_cost_usd: estimate,
    launched,
    reconciled,
    already_launched: alreadyLaunched,
    failed,
    all_terminal: launched === 0 && reconciled === 0 && summarize(store.read(), ctx.now()).all_terminal,
    outcome_unknown,
  };
}

const slugOf = (conditions: Condition[], id: string): string => {
  const c = conditions.find((x) => x.id === id);
  if (!c) throw new Error(`condition ${id} is not in the grid`);
  return c.slug;
};
