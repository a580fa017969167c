import { currentAttempt, findEntry, syncEntry } from './manifest.js';
const LOG_FETCH_CONCURRENCY = 4;
/** Fingerprint each newly failed job from its log (the controller log when the job never ran). */
export async function diagnoseFailures(store, failed, ctx) {
    const results = [];
    const queue = [...failed];
    const worker = async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
            let failure;
            try {
                failure = await ctx.diagnose(job);
            }
            catch (e) {
                // No log to read (e.g. never written): record that, so the job is not retried every poll.
                const line = `could not read the log: ${e.message}`;
                failure = { category: 'UNKNOWN', fingerprint: `UNKNOWN:${job.failure_reason ?? ''}`, line, confidence: 'low', fixability: 'unrecoverable', exception_type: null };
            }
            results.push({ condition: job.condition, job_id: job.job_id, failure });
        }
    };
    await Promise.all(Array.from({ length: Math.min(LOG_FETCH_CONCURRENCY, failed.length) }, worker));
    return store.update((m) => {
        for (const r of results) {
            const entry = findEntry(m, r.condition);
            const a = currentAttempt(entry);
            if (a?.job_id === r.job_id) {
                a.failure = r.failure;
                syncEntry(entry);
            }
        }
        return {
            events: results.map((r) => ({ type: 'diagnosis', condition: r.condition, job_id: r.job_id, category: r.failure.category, fingerprint: r.failure.fingerprint })),
            result: m,
        };
    });
}
