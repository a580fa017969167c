// Diagnose failed jobs that have no diagnosis yet and record the result in the manifest.
import { SkyError } from '../sky/sky-errors.js';
import { currentAttempt, findEntry, syncEntry } from './manifest.js';
const LOG_FETCH_CONCURRENCY = 4;
/** Fingerprint each newly failed job from its log (the controller log when the job never ran). */
export async function diagnoseFailures(store, failed, ctx) {
    const results = [];
    const queue = [...failed];
    const worker = async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
            try {
                results.push({ condition: job.condition, job_id: job.job_id, failure: await ctx.diagnose(job), error: null });
            }
            catch (e) {
                if (e instanceof SkyError && e.kind !== 'job_not_found') {
                    // SkyPilot did not answer (hung, down, garbled): not yet diagnosed, tried again on the next poll.
                    results.push({ condition: job.condition, job_id: job.job_id, failure: null, error: e.message });
                    continue;
                }
                // No log to read (the job is gone, or the log was never written): record that, once.
                const line = `could not read the log: ${e.message}`;
                const failure = { category: 'UNKNOWN', fingerprint: `UNKNOWN:${job.failure_reason ?? ''}`, line, confidence: 'low', fixability: 'unrecoverable', exception_type: null };
                results.push({ condition: job.condition, job_id: job.job_id, failure, error: null });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(LOG_FETCH_CONCURRENCY, failed.length) }, worker));
    return store.update((m) => {
        for (const r of results) {
            const entry = findEntry(m, r.condition);
            const a = currentAttempt(entry);
            if (a?.job_id === r.job_id) {
                a.failure = r.failure;
                a.diagnosis_error = r.error;
                syncEntry(entry);
            }
        }
        const events = results.map((r) => r.failure
            ? { type: 'diagnosis', condition: r.condition, job_id: r.job_id, category: r.failure.category, fingerprint: r.failure.fingerprint }
            : { type: 'diagnosis_deferred', condition: r.condition, job_id: r.job_id, error: r.error ?? '' });
        return { events, result: m };
    });
}
