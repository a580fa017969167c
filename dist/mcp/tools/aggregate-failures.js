import { z } from 'zod';
import { renderAggregation } from '../../diagnosis/aggregate-failures.js';
import { AggregationSchema } from '../../diagnosis/aggregation-schema.js';
import { diagnoseExperiment } from '../../factorial/diagnose-experiment.js';
import { nextCycleNote } from '../../rules/max-relaunch-cycles.js';
import { ExperimentStore } from '../../store/experiment-store.js';
import { toolResult } from '../tool-result.js';
import { forExperiment } from '../../factorial/experiment-index.js';
export function registerAggregateFailures(server, ctx) {
    server.registerTool('aggregate_failures', {
        title: 'Group the failures of an experiment by root cause (F2)',
        description: 'Rule F2 AGGREGATE-BEFORE-FIX: diagnose every failed job of the current batch and group them by root cause ' +
            '(affected jobs and conditions, factor pattern such as model-specific or infrastructure, fix strategy, ' +
            'affected files, confidence, fixability), listing whatever could not be diagnosed. Refuses while jobs of ' +
            'the batch still run (F1), unless the kill switch fired. Call it before proposing any fix; the result is ' +
            'stored in the manifest. Below high confidence, judge the candidates analyze_logs lists and pass your ' +
            'decision as classifications: it is recorded as the agent\'s.',
        inputSchema: {
            experiment: z.string().describe('Experiment id'),
            classifications: z
                .array(z.object({
                condition: z.string().describe('A failed condition of the current batch'),
                category: z.string().describe('The category you chose, e.g. from the candidates analyze_logs listed'),
                evidence: z.string().describe('The log line you relied on'),
                reason: z.string().describe('One line: why this is the first cause'),
            }))
                .optional()
                .describe("Your own classification of failures the engine was not confident about; recorded as the agent's, next to the engine's category"),
        },
        outputSchema: AggregationSchema.extend({
            relaunch_cycles: z.object({ next_cycle: z.number().int(), limit: z.number().int(), last_allowed: z.boolean(), note: z.string() })
                .describe('F4: the cycle a relaunch of this batch would be, and whether it is the last allowed one'),
        }).shape,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    }, async ({ experiment, classifications }) => {
        const scoped = forExperiment(ctx, experiment);
        const aggregation = await diagnoseExperiment(experiment, scoped, classifications ?? []);
        const cycles = nextCycleNote(new ExperimentStore(scoped.outputsDir, experiment).read());
        return toolResult({ ...aggregation, relaunch_cycles: cycles }, `${renderAggregation(aggregation, experiment)}\n${cycles.note}\n`);
    });
}
