import { aggregateFailures } from '../diagnosis/aggregate-failures.js';
import { defaultLibrary } from '../diagnosis/default-library.js';
import { enforce } from '../rules/rule-refusal.js';
import { isFailure } from '../sky/job-status.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { diagnoseFailures } from './diagnose-failures.js';
import { recordClassifications } from './record-classifications.js';
import { currentAttempt, currentBatch } from './manifest.js';
import { checkTerminalNow } from './terminal-now.js';
export async function diagnoseExperiment(experimentId, ctx, classifications = []) {
    const store = new ExperimentStore(ctx.outputsDir, experimentId);
    const terminal = await checkTerminalNow(store, ctx, { killSwitchException: true });
    enforce(terminal.verdict, { experiment: experimentId });
    let manifest = terminal.manifest;
    const batch = currentBatch(manifest);
    const pending = manifest.jobs.flatMap((j) => {
        const a = currentAttempt(j);
        return a && a.batch === batch && a.job_id !== null && a.status !== null && isFailure(a.status) && a.failure === null
            ? [{ condition: j.condition, job_id: a.job_id, status: a.status, failure_reason: a.failure_reason }]
            : [];
    });
    if (pending.length > 0)
        manifest = await diagnoseFailures(store, pending, ctx);
    const library = defaultLibrary();
    if (classifications.length > 0)
        manifest = await recordClassifications(store, classifications, library);
    const fresh = aggregateFailures(manifest, (id) => library.byName.get(id), ctx.now());
    // Aggregating an unchanged batch again keeps the original (F3 compares rebuilds with its time).
    const previous = manifest.aggregations.find((a) => a.batch === fresh.batch);
    const same = previous !== undefined && JSON.stringify({ ...previous, created_at: '' }) === JSON.stringify({ ...fresh, created_at: '' });
    if (same)
        return previous;
    const aggregation = fresh;
    await store.update((m) => {
        m.aggregations = [...m.aggregations.filter((a) => a.batch !== aggregation.batch), aggregation];
        return {
            events: [{
                    type: 'aggregation',
                    batch: aggregation.batch,
                    failed: aggregation.failed,
                    root_causes: aggregation.root_causes.map((r) => ({ root_cause_id: r.root_cause_id, conditions: r.conditions.length, pattern: r.pattern })),
                    undiagnosed: aggregation.undiagnosed.map((u) => u.condition),
                }],
            result: undefined,
        };
    });
    return aggregation;
}
