/** The tags the training code sets from the SKYLOOP_* env vars (see docs/results.md). */
export const TAG = { experiment: 'SKYLOOP_EXPERIMENT', condition: 'SKYLOOP_CONDITION', batch: 'SKYLOOP_BATCH', attempt: 'SKYLOOP_ATTEMPT' };
const tagOf = (run, key) => run.data.tags?.find((t) => t.key === key)?.value;
/**
 * The run of one attempt among an experiment's tagged runs: a managed job that SkyPilot recovered may have
 * started a new run on the new cluster, so the newest one counts; a finished run beats one left RUNNING
 * by a preempted cluster.
 */
export function runOfAttempt(runs, condition, batch) {
    const mine = runs.filter((r) => tagOf(r, TAG.condition) === condition && tagOf(r, TAG.batch) === String(batch));
    const newest = (a, b) => (b.info.start_time ?? 0) - (a.info.start_time ?? 0);
    return [...mine].sort((a, b) => Number(b.info.status !== 'RUNNING') - Number(a.info.status !== 'RUNNING') || newest(a, b))[0];
}
const finite = (m) => typeof m.value === 'number' && Number.isFinite(m.value);
/** The last value (highest step, then newest) or the best one by the metric's goal; null when never logged. */
export function summarizeMetric(history, spec) {
    const values = history.filter(finite);
    if (values.length === 0)
        return null;
    if (spec.summary === 'best') {
        return values.reduce((best, m) => (spec.goal === 'max' ? Math.max(best, m.value) : Math.min(best, m.value)), values[0].value);
    }
    return values.reduce((last, m) => (m.step > last.step || (m.step === last.step && m.timestamp >= last.timestamp) ? m : last)).value;
}
// MLflow prints "🏃 View run <name> at: <url>" (and "🧪 View experiment at: <url>") when a run ends.
const VIEW_RUN = /View run \S+ at: (https?:\/\/\S+)|(https?:\/\/\S+\/runs\/\S+)/;
/** The run URL a line of a job's log names, if any. */
export function runUrlInLine(line) {
    const m = VIEW_RUN.exec(line);
    return m ? (m[1] ?? m[2] ?? null) : null;
}
