// Reads the tracking runs of an experiment's terminal attempts into the manifest (rule F5: the manifest keeps
// what the report says). A poll reads each attempt once, when it has just become terminal; a report reads
// again whatever is missing (no run found yet, an error), or everything when asked to refresh.
import { isTerminal } from '../sky/job-status.js';
import { readTracking } from '../tracking/read-tracking.js';
import { resultsSettingsOf, trackingServer } from '../tracking/results-settings.js';
import { runUrlInLine } from '../tracking/run-metrics.js';
import { findEntry, syncEntry } from './manifest.js';
function wanted(a, scope) {
    if (a.job_id === null || a.status === null || !isTerminal(a.status))
        return false;
    if (scope === 'all' || a.tracking === null)
        return true;
    return scope === 'incomplete' && (a.tracking.run_id === null || a.tracking.error !== null);
}
export async function refreshResults(store, ctx, { scope, env = process.env, limit = Number.POSITIVE_INFINITY }) {
    const manifest = store.read();
    const settings = resultsSettingsOf(manifest);
    const server = trackingServer(settings, env);
    if ('none' in server)
        return { read: 0, no_server: server.none };
    const todo = manifest.jobs
        .flatMap((j) => j.attempts.filter((a) => wanted(a, scope)).map((a) => ({ condition: j.condition, batch: a.batch, job_id: a.job_id })))
        .slice(0, limit);
    if (todo.length === 0)
        return { read: 0, no_server: null };
    const runUrlInLog = async (jobId) => {
        let url = null;
        if (!ctx.sky)
            return null;
        try {
            await ctx.sky.logs(jobId, { tail: 0, onLine: (line) => (url = runUrlInLine(line) ?? url) });
        }
        catch {
            /* no log: no URL */
        }
        return url;
    };
    const found = await readTracking(manifest.experiment_id, server.uri, settings, todo, { runUrlInLog, env, now: ctx.now });
    await store.update((m) => {
        for (const [ref, tracking] of found) {
            const entry = findEntry(m, ref.condition);
            const attempt = entry.attempts.find((a) => a.batch === ref.batch && a.job_id === ref.job_id);
            if (!attempt)
                continue;
            attempt.tracking = tracking;
            syncEntry(entry);
        }
        return { events: [], result: undefined };
    });
    return { read: found.size, no_server: null };
}
