// Submitting the launch intents recorded in the manifest: shared by the first launch and by relaunches.
// Intents left by an interrupted run are reconciled with the queue by job name first, so a condition is
// never launched twice.
import type { LaunchOptions } from '../sky/sky-cli.js';
import { jobIdentityEnv } from '../tracking/results-settings.js';
import { SkyError } from '../sky/sky-errors.js';
import { canScanProcesses, isProcessAlive, processesWithEnv } from '../util/process-scan.js';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { EventPayload } from './events.js';
import { factorEnvVar, type ExperimentConfig } from './experiment-config.js';
import type { FactorialContext } from './factorial-context.js';
import { applyQueue, currentAttempt, findEntry, recordLaunch, syncEntry, type LaunchRecord, type Manifest } from './manifest.js';

export interface LaunchOutcome {
  launched: number;
  reconciled: number;
  failed: { condition: string; error: string }[];
  /** Launches that may have submitted a job the queue does not show yet; every poll reconciles them by name. */
  outcome_unknown: { condition: string; error: string }[];
}

/**
 * Whether `sky jobs launch` may have submitted the job although it did not report an id: it timed out,
 * exited non-zero after running (only a usage error, exit 2, is refused before anything is sent), or
 * printed no id we can read. Not when it never ran (not installed) or skyloop refused the arguments.
 */
export function launchOutcomeUnknown(e: unknown): boolean {
  if (!(e instanceof SkyError)) return false;
  if (e.kind === 'not_installed') return false;
  if (e.kind === 'command_failed') return e.details.exitCode !== 2;
  return true;
}

/**
 * A launch that ended with a SkyPilot exception has either submitted by then or not at all, so a queue
 * read after it ended settles it; a time-out or a missing id may still be followed by a submission the
 * API server is working on, so those stay unknown until the queue shows the job or they settle.
 */
const settlesAtOnce = (e: unknown): boolean => e instanceof SkyError && e.kind === 'command_failed' && e.details.exceptionClass !== undefined;

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
  const unknown: (LaunchOutcome['outcome_unknown'][number] & { settles: boolean; ref: { condition: string; job_name: string; batch: number } })[] = [];
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
      if (launchOutcomeUnknown(e)) {
        unknown.push({ condition: entry.condition, error, settles: settlesAtOnce(e), ref });
        await recorder.record(entry.condition, { unknown: error, at: ctx.now().toISOString() }, { type: 'launch_outcome_unknown', ...ref, error });
      } else {
        failed.push({ condition: entry.condition, error });
        await recorder.record(entry.condition, { error }, { type: 'launch_failed', ...ref, error });
      }
    }
    onProgress?.(launched + failed.length, pending.length);
  });
  await recorder.flush();
  // Settle what can be settled now: an ambiguous launch whose job is in the queue was launched; one that
  // ended with an exception and is not in the queue failed. The queue unreachable: every poll reconciles.
  let found = 0;
  if (unknown.length > 0) {
    const settles = unknown.filter((u) => u.settles);
    found = await adoptFromQueue(store, ctx, (m) => {
      const events: EventPayload[] = [];
      for (const u of settles) {
        if (currentAttempt(findEntry(m, u.condition))?.launch_state !== 'outcome_unknown') continue;
        recordLaunch(m, u.condition, { error: u.error });
        failed.push({ condition: u.condition, error: u.error });
        events.push({ type: 'launch_failed', ...u.ref, error: u.error });
      }
      return events;
    }).catch(() => 0);
  }
  const stillUnknown = new Set(store.read().jobs.filter((j) => currentAttempt(j)?.launch_state === 'outcome_unknown').map((j) => j.condition));
  return {
    launched,
    reconciled: reconciled + found,
    failed,
    outcome_unknown: unknown.filter((u) => stillUnknown.has(u.condition)).map(({ condition, error }) => ({ condition, error })),
  };
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
  await waitForOrphanLaunches(
    started.map((e) => (e.type === 'launch_started' ? e.pid : null)),
    new Set([...intents].map((name) => launchMarker(store, name))),
    ctx.orphanWaitMs,
  );
  return adoptFromQueue(store, ctx);
}

/**
 * Wait, at most `waitMs`, for the `sky jobs launch` processes a killed launcher left behind: by the pids it
 * wrote down (null: spawned but never written), else by their marker. Without /proc a launch whose pid was
 * never written cannot be seen, so it gets the time a launch may take.
 */
export async function waitForOrphanLaunches(pids: (number | null)[], markers: Set<string>, waitMs: number): Promise<void> {
  const known = pids.filter((p): p is number => p !== null);
  const scan = canScanProcesses();
  const orphansAlive = () => known.some(isProcessAlive) || (scan && processesWithEnv('SKYLOOP_LAUNCH_MARKER', markers).length > 0);
  const deadline = Date.now() + waitMs;
  while (orphansAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!scan && known.length < pids.length) await new Promise((r) => setTimeout(r, Math.min(waitMs, 60_000)));
}

/**
 * One `sky jobs queue`: adopt every intent and ambiguous launch whose job name it shows; `then` may settle
 * what the queue did not show, in the same manifest write.
 */
async function adoptFromQueue(store: ExperimentStore, ctx: FactorialContext, then?: (m: Manifest) => EventPayload[]): Promise<number> {
  const { records } = await ctx.sky.queue();
  return store.update((m: Manifest) => {
    const { adopted } = applyQueue(m, records, ctx.now());
    const events: EventPayload[] = adopted.map((a) => ({ type: 'launched', ...a, reconciled: true }));
    events.push(...(then?.(m) ?? []));
    return { events, result: adopted.length };
  });
}

/** Identifies one condition's launch of one experiment among the machine's processes. */
const launchMarker = (store: ExperimentStore, jobName: string) => `${store.manifestPath}#${jobName}`;

/** Launch outcomes are written to the manifest in batches: one atomic write for whatever finished meanwhile. */
function outcomeRecorder(store: ExperimentStore) {
  type Outcome = { condition: string; result: LaunchRecord; event: EventPayload };
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
