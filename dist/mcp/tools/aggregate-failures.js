import { z } from 'zod';
import { renderAggregation } from '../../diagnosis/aggregate-failures.js';
import { AggregationSchema } from '../../diagnosis/aggregation-schema.js';
import { diagnoseExperiment } from '../../factorial/diagnose-experiment.js';
import { toolResult } from '../tool-result.js';
export function registerAggregateFailures(server, ctx) {
    server.registerTool('aggregate_failures', {
        title: 'Group the failures of an experiment by root cause (F2)',
        description: 'Rule F2 AGGREGATE-BEFORE-FIX: diagnose every failed job of the current batch and group them by root cause ' +
            '(affected jobs and conditions, factor pattern such as model-specific or infrastructure, fix strategy, ' +
            'affected files, confidence, fixability), listing whatever could not be diagnosed. Refuses while jobs of ' +
            'the batch still run (F1), unless the kill switch fired. Call it before proposing any fix; the result is ' +
            'stored in the manifest.',
        inputSchema: { experiment: z.string().describe('Experiment id') },
        outputSchema: AggregationSchema.shape,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    }, async ({ experiment }) => {
        const aggregation = await diagnoseExperiment(experiment, ctx);
        return toolResult(aggregation, renderAggregation(aggregation, experiment));
    });
}
