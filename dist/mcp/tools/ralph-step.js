import { z } from 'zod';
import { defaultRalphContext, ralphReport, RalphReportSchema } from '../../ralph/ralph-run.js';
import { RalphSettingsSchema } from '../../ralph/ralph-settings.js';
import { ralphStep } from '../../ralph/ralph-step.js';
import { toolResult } from '../tool-result.js';
export function registerRalphStep(server, ctx) {
    server.registerTool('ralph_step', {
        title: 'Advance the single-job loop one decision',
        description: 'Advance the ralph-loop for one job by one decision and say what it did: launch the next attempt (with the ' +
            'overrides the last fix chose, on a copy of the task), report that the job is still running, or end an attempt ' +
            'and decide — apply the safe automatic fix of its failure category (rotate region/GPU, raise disk, halve the batch ' +
            'size, go on-demand), retry a transient failure, or stop (succeeded, unrecoverable with an issue draft, a category ' +
            'failed more than 3 times, a code/config change needed, budget spent). Resumes from outputs/ralph_diagnoses.jsonl. ' +
            'Call preflight_check first; call again while action is not "stopped" (after poll_interval_s when "waiting").',
        inputSchema: RalphSettingsSchema.shape,
        outputSchema: {
            action: z.enum(['started', 'launched', 'waiting', 'attempt_ended', 'stopped']),
            detail: z.string(),
            report: RalphReportSchema,
        },
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    }, async (args) => {
        const settings = RalphSettingsSchema.parse(args);
        const step = await ralphStep(settings, defaultRalphContext(ctx.sky, ctx.outputsDir));
        return toolResult({ action: step.action, detail: step.detail, report: ralphReport(step.run, ctx.outputsDir) }, step.detail);
    });
}
