// Launch a factorial grid: validate, estimate cost, record every condition and launch intent in the
// manifest, then submit one SkyPilot managed job per condition with bounded concurrency. Re-running it
// after an interruption reconciles with the queue by job name and never launches a condition twice.
import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { LaunchOptions } from '../sky/sky-cli.js';
import { withFileLock } from '../store/file-lock.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { readYamlFile } from '../util/yaml-file.js';
import { gitState } from '../vcs/git-state.js';
import { expandConditions, jobName, type Condition } from './conditions.js';
import { estimateLaunchCost } from './cost.js';
import type { EventPayload } from './events.js';
import { ExperimentConfigSchema, factorEnvVar, type ExperimentConfig } from './experiment-config.js';
import type { FactorialContext } from './factorial-context.js';
import { applyQueue, beginBatch, createManifest, currentAttempt, imageDigest, recordLaunch, syncEntry, type Manifest } from './manifest.js';
import { readTaskFile } from './task-file.js';

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
});
export type LaunchFactorialResult = z.infer<typeof LaunchFactorialResultSchema>;

export async function launchFactorial(
  configPath: string,
  { approve = false }: { approve?: boolean },
  ctx: FactorialContext,
): Promise<LaunchFactorialResult> {
  const cfg = readYamlFile(configPath, ExperimentConfigSchema);
  const taskPath = resolve(dirname(configPath), cfg.task);
  const task = readTaskFile(taskPath);
  const image = cfg.image ?? task.image;
  if (image === null || !image.startsWith('docker:')) {
    throw new LaunchRefused(
      `${taskPath}: the task runs on a bare VM image (${image ?? 'no resources.image_id'}); skyloop launches ` +
        'experiments only in a docker image (set resources.image_id: docker:<ref> or `image:` in the config) ' +
        'so that a rebuilt image is what a relaunch really runs',
    );
  }
  const conditions = expandConditions(cfg);
  const estimate = estimateLaunchCost(conditions.length, cfg, task.num_nodes);
  if (estimate > cfg.cost.budget_usd) {
    throw new LaunchRefused(
      `estimated cost $${estimate.toFixed(2)} (${conditions.length} conditions × ${cfg.cost.expected_hours} h × ` +
        `$${cfg.cost.hourly_rate_usd}/h × ${task.num_nodes} node(s)) exceeds the budget of $${cfg.cost.budget_usd}`,
    );
  }
  if (estimate > cfg.cost.approval_threshold_usd && !approve) {
    throw new LaunchRefused(
      `estimated cost $${estimate.toFixed(2)} is above the approval threshold of $${cfg.cost.approval_threshold_usd}: ` +
        'confirm with --approve (CLI) or approve: true (MCP tool)',
    );
  }

  const store = new ExperimentStore(ctx.outputsDir, cfg.experiment);
  const manifest = await store.create(
    createManifest({
      experimentId: cfg.experiment,
      configFile: relative(process.cwd(), resolve(configPath)),
      taskYaml: relative(process.cwd(), taskPath),
      factors: cfg.factors,
      conditions,
      image,
      hourlyRateUsd: cfg.cost.hourly_rate_usd,
      nodesPerJob: task.num_nodes,
      budgetUsd: cfg.cost.budget_usd,
      estimatedCostUsd: estimate,
      maxRelaunchCycles: cfg.relaunch.max_cycles,
      monitor: { ...cfg.monitor, kill_switch: cfg.kill_switch },
      now: ctx.now(),
    }),
    [],
  );
  const known = new Set(manifest.jobs.map((j) => j.condition));
  if (known.size !== conditions.length || conditions.some((c) => !known.has(c.id))) {
    throw new LaunchRefused(
      `experiment '${cfg.experiment}' already exists with a different grid (${store.manifestPath}); ` +
        'give the changed experiment a new name',
    );
  }

  // One launcher per experiment at a time; a crashed launcher's lock is taken over at once.
  return withFileLock(`${store.manifestPath}.launch`, () => launchPending(cfg, conditions, image, estimate, store, ctx), 0).catch(
    (e: Error) => {
      if (/timed out .* waiting for the lock/.test(e.message)) {
        throw new LaunchRefused(`another skyloop process is launching experiment '${cfg.experiment}' right now`);
      }
      throw e;
    },
  );
}

async function launchPending(
  cfg: ExperimentConfig,
  conditions: Condition[],
  image: string,
  estimate: number,
  store: ExperimentStore,
  ctx: FactorialContext,
): Promise<LaunchFactorialResult> {
  const git = await gitState(dirname(resolve(store.manifestPath)));
  // Record intents for conditions never launched (all of them on a first run). A launch that failed
  // never created a job, so a re-run tries it again in the same batch.
  await store.update((m) => {
    for (const j of m.jobs) {
      const a = currentAttempt(j);
      if (a?.launch_state === 'launch_failed' && a.job_id === null) {
        a.launch_state = 'intent';
        a.launch_error = null;
        syncEntry(j);
      }
    }
    const fresh = m.jobs.filter((j) => j.attempts.length === 0);
    if (fresh.length === 0) return { events: [], result: undefined };
    const batch = 0;
    beginBatch(
      m,
      { batch, started_at: ctx.now().toISOString(), git_commit: git.commit, git_dirty: git.dirty, docker_image: image, docker_digest: imageDigest(image) },
      fresh.map((j) => ({ condition: j.condition, job_name: jobName(cfg.experiment, { slug: slugOf(conditions, j.condition) }, batch) })),
    );
    return {
      events: [{ type: 'launch_intent', batch, conditions: fresh.map((j) => j.condition), estimated_cost_usd: estimate }],
      result: undefined,
    };
  });

  const before = store.read();
  const alreadyLaunched = before.jobs.filter((j) => currentAttempt(j)?.launch_state === 'launched').length;
  const reconciled = await reconcileIntents(store, ctx);
  const pending = store
    .read()
    .jobs.filter((j) => currentAttempt(j)?.launch_state === 'intent')
    .map((j) => ({ entry: j, attempt: currentAttempt(j)! }));

  const recorder = outcomeRecorder(store);
  const failed: LaunchFactorialResult['failed'] = [];
  let launched = 0;
  await forEachConcurrently(pending, cfg.launch.concurrency, async ({ entry, attempt }) => {
    const ref = { condition: entry.condition, job_name: attempt.job_name, batch: attempt.batch };
    const options: LaunchOptions = {
      name: attempt.job_name,
      env: conditionEnv(cfg, entry.levels),
      imageId: attempt.image ?? image,
      onSpawn: (pid) => store.appendEventsNow([{ type: 'launch_started', ...ref, pid: pid ?? null }]),
    };
    try {
      const { job_id } = await ctx.sky.launch(store.read().skypilot_yaml, options);
      launched++;
      await recorder.record(entry.condition, { job_id }, { type: 'launched', ...ref, job_id, reconciled: false });
    } catch (e) {
      const error = (e as Error).message;
      failed.push({ condition: entry.condition, error });
      await recorder.record(entry.condition, { error }, { type: 'launch_failed', ...ref, error });
    }
  });
  await recorder.flush();
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
  };
}

const slugOf = (conditions: Condition[], id: string): string => {
  const c = conditions.find((x) => x.id === id);
  if (!c) throw new Error(`condition ${id} is not in the grid`);
  return c.slug;
};

export function conditionEnv(cfg: ExperimentConfig, levels: Record<string, string | number | boolean>): Record<string, string> {
  const env: Record<string, string> = { ...cfg.env };
  for (const [factor, level] of Object.entries(levels)) env[factorEnvVar(cfg, factor)] = String(level);
  return env;
}

/**
 * Intents left by an interrupted run: first wait for any `sky jobs launch` it left running (an orphan
 * still submitting), then adopt every job the queue shows under an intent's job name.
 */
async function reconcileIntents(store: ExperimentStore, ctx: FactorialContext): Promise<number> {
  const manifest = store.read();
  const intents = new Set(manifest.jobs.map(currentAttempt).filter((a) => a?.launch_state === 'intent').map((a) => a!.job_name));
  if (intents.size === 0) return 0;
  const orphans = store
    .readEvents()
    .flatMap((e) => (e.type === 'launch_started' && intents.has(e.job_name) && e.pid !== null ? [e.pid] : []));
  const deadline = Date.now() + ctx.orphanWaitMs;
  while (orphans.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

  const { records } = await ctx.sky.queue();
  return store.update((m: Manifest) => {
    const waiting = new Map(m.jobs.map((j) => [j.condition, currentAttempt(j)?.launch_state === 'intent']));
    applyQueue(m, records);
    const events: EventPayload[] = [];
    for (const j of m.jobs) {
      const a = currentAttempt(j);
      if (waiting.get(j.condition) && a?.launch_state === 'launched' && a.job_id !== null) {
        events.push({ type: 'launched', condition: j.condition, job_name: a.job_name, batch: a.batch, job_id: a.job_id, reconciled: true });
      }
    }
    return { events, result: events.length };
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Launch outcomes are written to the manifest in batches: one atomic write for whatever finished meanwhile. */
function outcomeRecorder(store: ExperimentStore) {
  type Outcome = { condition: string; result: { job_id: number } | { error: string }; event: EventPayload };
  let pending: Outcome[] = [];
  let writing: Promise<void> | null = null;
  const drain = async () => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      await store.update((m) => {
        for (const o of batch) recordLaunch(m, o.condition, o.result);
        return { events: batch.map((o) => o.event), result: undefined };
      });
    }
  };
  const flush = (): Promise<void> => (writing ??= drain().finally(() => (writing = null)));
  return {
    record(condition: string, result: Outcome['result'], event: EventPayload): Promise<void> {
      pending.push({ condition, result, event });
      return flush();
    },
    async flush(): Promise<void> {
      await writing;
      await flush();
    },
  };
}

async function forEachConcurrently<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
