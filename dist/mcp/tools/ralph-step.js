import { z } from 'zod';
import { defaultRalphContext, ralphReport, RalphReportSchema } from '../../ralph/ralph-run.js';
import { RalphSettingsSchema } from '../../ralph/ralph-settings.js';
import { ralphStep, runName } from '../../ralph/ralph-step.js';
import { PreflightInputSchema, runPreflight } from '../../preflight/index.js';
import { refuse } from '../../rules/rule-refusal.js';
import { toolResult } from '../tool-result.js';
export function registerRalphStep(server, ctx) {
    server.registerTool('ralph_step', {
        title: 'Advance the single-job loop one decision',
        description: 'Advance the ralph-loop for one job by one decision and say what it did: launch the next attempt (with the ' +
            'overrides the last fix chose, on a copy of the task), report that the job is still running, or end an attempt ' +
            'and decide — apply the safe automatic fix of its failure category (rotate region/GPU, raise disk, halve the batch ' +
            'size, go on-demand), retry a transient failure, or stop (succeeded, unrecoverable with an issue draft, a category ' +
            'failed more than 3 times, a code/config change needed, budget spent). Resumes from outputs/ralph_diagnoses.jsonl. ' +
            'The first step of a run runs the pre-flight checks and refuses while one blocks (override by name in preflight.overrides). ' +
            'Call again while action is not "stopped" (after poll_interval_s when "waiting").',
        inputSchema: {
            ...RalphSettingsSchema.shape,
            preflight: PreflightInputSchema.omit({ task_yaml: true })
                .optional()
                .describe('Pre-flight options (cloud, tracking_url, required_env, overrides, …) for the check run before the first launch'),
        },
        outputSchema: {
            action: z.enum(['started', 'launched', 'waiting', 'attempt_ended', 'stopped']),
            detail: z.string(),
            report: RalphReportSchema,
        },
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    }, async ({ preflight, ...args }) => {
        const settings = RalphSettingsSchema.parse(args);
        const run = runName(settings);
        // Nothing is spent before the pre-flight passes: the first step of a run checks it.
        const before = ralphReport(run, ctx.outputsDir);
        if (before.outcome === 'running' && before.attempts.length === 0) {
            const pre = await runPreflight({ ...preflight, task_yaml: settings.task_yaml, outputs_dir: preflight?.outputs_dir ?? ctx.outputsDir });
            if (!pre.ok) {
                const failed = pre.checks.filter((c) => pre.blocking.includes(c.name)).map((c) => `${c.name}: ${c.detail}${c.fix_hint ? ` (fix: ${c.fix_hint})` : ''}`);
                throw refuse('PREFLIGHT_BLOCKED', `blocked by ${pre.blocking.join(', ')}`, failed, {});
            }
        }
        const step = await ralphStep(settings, defaultRalphContext(ctx.sky, ctx.outputsDir));
        return toolResult({ action: step.action, detail: step.detail, report: ralphReport(step.run, ctx.outputsDir) }, step.detail);
    });
}
