import { z } from 'zod';
import { launchFactorial, LaunchFactorialResultSchema } from '../../factorial/launch-factorial.js';
import { toolResult } from '../tool-result.js';
export function registerLaunchFactorial(server, ctx) {
    server.registerTool('launch_factorial', {
        title: 'Launch a factorial experiment',
        description: 'Launch every condition of a factorial grid (experiment config YAML) as a SkyPilot managed job and record ' +
            'each condition and job id in the manifest (rule F5). Refuses a bare-VM task, a cost above the budget, and a ' +
            'cost above the approval threshold unless approve is true. Safe to call again after an interruption: it ' +
            'reconciles with the queue by job name and launches only what is missing. Next: wait_for_change.',
        inputSchema: {
            config_path: z.string().describe('Path of the experiment config YAML'),
            approve: z.boolean().default(false).describe('The user approved the estimated cost (needed above the approval threshold)'),
        },
        outputSchema: LaunchFactorialResultSchema.shape,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    }, async ({ config_path, approve }) => toolResult(await launchFactorial(config_path, { approve }, ctx)));
}
