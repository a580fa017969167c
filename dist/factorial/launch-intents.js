import { jobIdentityEnv } from '../tracking/results-settings.js';
import { canScanProcesses, isProcessAlive, processesWithEnv } from '../util/process-scan.js';
import { factorEnvVar } from './experiment-config.js';
import { applyQueue, currentAttempt, recordLaunch, syncEntry } from './manifest.js';
/** Launch every condition whose newest attempt is an intent. */
export async function launchIntents(store, cfg, ctx, onProgress) {
    const reconciled = await reconcileIntents(store, ctx);
    const manifest = store.read();
    const pending = manifest.jobs
        .filter((j) => currentAttempt(j)?.launch_state === 'intent')
        .map((j) => ({ entry: j, attempt: currentAttempt(j) }));
    const recorder = outcomeRecorder(store);
    const failed = [];
    let launched = 0;
    await forEachConcurrently(pending, cfg.launch.concurrency, async ({ entry, attempt }) => {
        const ref = { condition: entry.condition, job_name: attempt.job_name, batch: attempt.batch };
        // Written before the spawn: a kill between spawn and the pid record leaves the marker to find.
        store.appendEventsNow([{ type: 'launch_started', ...ref, pid: null }]);
        const options = {
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
        }
        catch (e) {
            const error = e.message;
            failed.push({ condition: entry.condition, error });
            await recorder.record(entry.condition, { error }, { type: 'launch_failed', ...ref, error });
        }
        onProgress?.(launched + failed.length, pending.length);
    });
    await recorder.flush();
    return { launched, reconciled, failed };
}
/** A launch that failed never created a job: turn it back into an intent so a re-run tries again. */
export function retryFailedLaunches(m) {
    for (const j of m.jobs) {
        const a = currentAttempt(j);
        if (a?.launch_state === 'launch_failed' && a.job_id === null) {
            a.launch_state = 'intent';
            a.launch_error = null;
            syncEntry(j);
        }
    }
}
export function conditionEnv(cfg, levels) {
    const env = { ...cfg.env };
    for (const [factor, level] of Object.entries(levels))
        env[factorEnvVar(cfg, factor)] = String(level);
    return env;
}
/**
 * Intents left by an interrupted run: first wait for any `sky jobs launch` it left running (an orphan
 * still submitting), then adopt every job the queue shows under an intent's job name.
 */
async function reconcileIntents(store, ctx) {
    const manifest = store.read();
    const intents = new Set(manifest.jobs.map(currentAttempt).filter((a) => a?.launch_state === 'intent').map((a) => a.job_name));
    if (intents.size === 0)
        return 0;
    const started = store.readEvents().filter((e) => e.type === 'launch_started' && intents.has(e.job_name));
    const pids = started.flatMap((e) => (e.type === 'launch_started' && e.pid !== null ? [e.pid] : []));
    const markers = new Set([...intents].map((name) => launchMarker(store, name)));
    const scan = canScanProcesses();
    const orphansAlive = () => pids.some(isProcessAlive) || (scan && processesWithEnv('SKYLOOP_LAUNCH_MARKER', markers).length > 0);
    const deadline = Date.now() + ctx.orphanWaitMs;
    while (orphansAlive() && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    // Without /proc a launch whose pid was never written cannot be seen: give it the time a launch may take.
    if (!scan && started.length > pids.length)
        await new Promise((r) => setTimeout(r, Math.min(ctx.orphanWaitMs, 60_000)));
    const { records } = await ctx.sky.queue();
    return store.update((m) => {
        const waiting = new Map(m.jobs.map((j) => [j.condition, currentAttempt(j)?.launch_state === 'intent']));
        applyQueue(m, records);
        const events = [];
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
const launchMarker = (store, jobName) => `${store.manifestPath}#${jobName}`;
/** Launch outcomes are written to the manifest in batches: one atomic write for whatever finished meanwhile. */
function outcomeRecorder(store) {
    let pending = [];
    let writing = null;
    const drain = async () => {
        while (pending.length > 0) {
            const batch = pending;
            pending = [];
            await store.update((m) => {
                for (const o of batch)
                    recordLaunch(m, o.condition, o.result);
                return { events: batch.map((o) => o.event), result: undefined };
            });
        }
    };
    const flush = () => (writing ??= drain().finally(() => (writing = null)));
    return {
        record(condition, result, event) {
            pending.push({ condition, result, event });
            return flush();
        },
        async flush() {
            await writing;
            await flush();
        },
    };
}
async function forEachConcurrently(items, limit, fn) {
    let next = 0;
    const worker = async () => {
        while (next < items.length)
            await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
