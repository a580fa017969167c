import { z } from 'zod';
import { cancelConditions, CancelResultSchema } from '../../factorial/cancel-conditions.js';
import { toolResult } from '../tool-result.js';
import { forExperiment } from '../../factorial/experiment-index.js';
export function registerCancelConditions(server, ctx) {
    server.registerTool('cancel_conditions', {
        title: 'Cancel conditions of an experiment',
        description: 'Cancel the live jobs of the named conditions (or every live job with all: true) through skyloop: who and why ' +
            'are recorded in the manifest and the event log, and the conditions stay relaunchable (relaunch_failed with ' +
            'include_cancelled). Only when the user asked for it: cancelling stops paid work.',
        inputSchema: {
            experiment: z.string().describe('Experiment id'),
            conditions: z.array(z.string()).optional().describe('Conditions to cancel'),
            all: z.boolean().optional().describe('Cancel every live job of the experiment'),
            reason: z.string().min(3).describe("Why, in the user's words"),
        },
        outputSchema: CancelResultSchema.shape,
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    }, async ({ experiment, conditions, all, reason }) => toolResult(await cancelConditions(experiment, { ...(conditions ? { conditions } : {}), all: all ?? false, reason: `agent: ${reason}` }, forExperiment(ctx, experiment))));
}
