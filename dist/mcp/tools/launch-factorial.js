import { z } from 'zod';
import { launchFactorial, LaunchFactorialResultSchema } from '../../factorial/launch-factorial.js';
import { projectFile } from '../project-dir.js';
import { YAML_EXTENSIONS } from '../trusted-paths.js';
import { toolResult } from '../tool-result.js';
export function registerLaunchFactorial(server, ctx) {
    server.registerTool('launch_factorial', {
        title: 'Launch a factorial experiment',
        description: 'Launch every condition of a factorial grid (experiment config YAML) as a SkyPilot managed job and record ' +
            'each condition and job id in the manifest (rule F5). Refuses a bare-VM task, a cost above the budget, and a ' +
            'cost above the approval threshold unless approve is true. Safe to call again after an interruption: it ' +
            'reconciles with the queue by job name and launches only what is missing. Next: wait_for_change.',
        inputSchema: {
            config_path: z.string().describe("Path of the experiment config YAML inside the project; a relative path is the client's project's (MCP roots, else CLAUDE_PROJECT_DIR)"),
            approve: z.boolean().default(false).describe('The user approved the estimated cost (needed above the approval threshold)'),
        },
        outputSchema: LaunchFactorialResultSchema.shape,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    }, async ({ config_path, approve }) => {
        // The config names the build and push commands rebuild runs: only the project's own configs are trusted.
        const config = await projectFile(server, config_path, { what: 'launch_factorial config_path', extensions: YAML_EXTENSIONS });
        const r = await launchFactorial(config, { approve }, ctx);
        return toolResult(r, `${r.experiment_id}: ${r.conditions} conditions, estimated $${r.estimated_cost_usd.toFixed(2)}; launched ${r.launched}, ` +
            `reconciled ${r.reconciled}, already launched ${r.already_launched}, failed ${r.failed.length}` +
            `${r.failed.length ? ' (call launch_factorial again: it launches only what is missing)' : ''}. next: wait_for_change(experiment="${r.experiment_id}")`);
    });
}
