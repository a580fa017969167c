// Submitting the launch intents recorded in the manifest: shared by the first launch and by relaunches.
// Intents left by an interrupted run are reconciled with the queue by job name first, so a condition is
// never launched twice.
import type { LaunchOptions } from '../sky/sky-cli.js';
import { jobIdentityEnv } from '../tracking/results-settings.js';
import { canScanProcesses, isProcessAlive, processesWithEnv } from '../util/process-scan.js';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { EventPayload } from './events.js';
import { factorEnvVar, type ExperimentConfig } from './experiment-config.js';
import type { FactorialContext } from './factorial-context.js';
import { applyQueue, currentAttempt, recordLaunch, syncEntry, type Manifest } from './manifest.js';

export interface LaunchOutcome {
  launched: number;
  reconciled: number;
  failed: { condition: string; error: string }[];
}

/** Launch every condition whose newest attempt is an intent. */
export async function launchIntents(
  store: ExperimentStore,
  cfg: ExperimentConfig,
  ctx: FactorialContext,
  onProgress?: (submitted: number, total: number) => void,
): Promise<LaunchOutcome> {
  const reconciled = await reconcileIntents(store, ctx);
  const manifest = store.read();
  const pending = manifest.jobs
    .filter((j) => currentAttempt(j)?.launch_state === 'intent')
    .map((j) => ({ entry: j, attempt: currentAttempt(j)! }));
  const recorder = outcomeRecorder(store);
  const failed: LaunchOutcome['failed'] = [];
  let launched = 0;
  await forEachConcurrently(pending, cfg.launch.concurrency, async ({ entry, attempt }) => {
    const ref = { condition: entry.condition, job_name: attempt.job_name, batch: attempt.batch };
    // Written before the spawn: a kill between spawn and the pid record leaves the marker to find.
    store.appendEventsNow([{ type: 'launch_started', ...ref, pid: null }]);
    const options: LaunchOptions = {
      name: attempt.job_name,
      env: { ...conditionEnv(cfg, entry.levels), ...jobIdentityEnv(manifest.experiment_id, entry.condition, attempt.batch, entry.attempts.indexOf(attempt) + 1) },
      imageId: attempt.image ?? manifest.docker_image,
      ...(attempt.resources?.infra === undefined ? {} : { infra: attempt.resources.infra }),
      ...(attempt.resources?.gpus === undefined ? {} : { gpus: attempt.resources.gpus }),
      ...(attempt.resources?.use_spot === undefined ? {} : { useSpot: attempt.resources.use_spot }),
      marker: launchMarker(store, attempt.job_name),
      onSpawn: (pid) => store.appendEventsNow([{ type: 'launch_started', ...ref, pid: pid ?? null }]),
    };
    try {
      const { job_id } = await ctx.sky.launch(manifest.skypilot_yaml, options);
      launched++;
      await recorder.record(entry.condition, { job_id }, { type: 'launched', ...ref, job_id, reconciled: false });
    } catch (e) {
      const error = (e as Error).message;
      failed.push({ condition: entry.condition, error });
      await recorder.record(entry.condition, { error }, { type: 'launch_failed', ...ref, error });
    }
    onProgress?.(launched + failed.length, pending.length);
  });
  await recorder.flush();
  return { launched, reconciled, failed };
}

/** A launch that failed never created a job: turn it back into an intent so a re-run tries again. */
export function retryFailedLaunches(m: Manifest): void {
  for (const j of m.jobs) {
    const a = currentAttempt(j);
    if (a?.launch_state === 'launch_failed' && a.job_id === null) {
      a.launch_state = 'intent';
      a.launch_error = null;
      syncEntry(j);
    }
  }
}

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
  const started = store.readEvents().filter((e) => e.type === 'launch_started' && intents.has(e.job_name));
  const pids = started.flatMap((e) => (e.type === 'launch_started' && e.pid !== null ? [e.pid] : []));
  const markers = new Set([...intents].map((name) => launchMarker(store, name)));
  const scan = canScanProcesses();
  const orphansAlive = () => pids.some(isProcessAlive) || (scan && processesWithEnv('SKYLOOP_LAUNCH_MARKER', markers).length > 0);
  const deadline = Date.now() + ctx.orphanWaitMs;
  while (orphansAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // Without /proc a launch whose pid was never written cannot be seen: give it the time a launch may take.
  if (!scan && started.length > pids.length) await new Promise((r) => setTimeout(r, Math.min(ctx.orphanWaitMs, 60_000)));

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

/** Identifies one condition's launch of one experiment among the machine's processes. */
const launchMarker = (store: ExperimentStore, jobName: string) => `${store.manifestPath}#${jobName}`;

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
