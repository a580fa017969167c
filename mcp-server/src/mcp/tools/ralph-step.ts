import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { defaultRalphContext, ralphReport, RalphReportSchema } from '../../ralph/ralph-run.js';
import { ralphNotifier } from '../../ralph/ralph-notify.js';
import { RalphSettingsSchema } from '../../ralph/ralph-settings.js';
import { ralphStep, runName } from '../../ralph/ralph-step.js';
import { followRalph } from '../../ralph/ralph-wait.js';
import { PreflightInputSchema, runPreflight } from '../../preflight/index.js';
import { refuse } from '../../rules/rule-refusal.js';
import { clockFromEnv } from '../../supervisor/clock.js';
import { readNotifyTargets } from '../../supervisor/notify/notify-targets.js';
import { toolResult } from '../tool-result.js';
import { projectFile } from '../project-dir.js';
import { YAML_EXTENSIONS } from '../trusted-paths.js';

export function registerRalphStep(server: McpServer, ctx: FactorialContext): void {
  server.registerTool(
    'ralph_step',
    {
      title: 'Advance the single-job loop, or wait for its next decision',
      description:
        'Advance the ralph-loop for one job and say what it did: launch the next attempt (with the overrides the last ' +
        'fix chose, on a copy of the task), report that the job is still running, or end an attempt and decide — apply ' +
        'the safe automatic fix of its failure category (rotate to the next untried region/GPU, raise disk, halve the ' +
        'batch size, go on-demand), retry a transient failure, or stop (succeeded, unrecoverable with an issue draft, a ' +
        'category failed more than 3 times, a code/config change needed, budget spent). A job PENDING/STARTING longer ' +
        "than stuck_after_s (SkyPilot's submitted time) is cancelled and rotated; SkyPilot not answering is waited out " +
        '(sky_unavailable), never counted as a failure. Resumes from outputs/ralph_diagnoses.jsonl. ' +
        'The first step of a run runs the pre-flight checks and refuses while one blocks (override by name in preflight.overrides). ' +
        'With wait_s > 0 the call blocks (sending progress notifications; cancellable) until an attempt ends with a decision, ' +
        'the loop stops, or wait_s passes: one job is a handful of calls. Call again while action is not "stopped".',
      inputSchema: {
        ...RalphSettingsSchema.shape,
        wait_s: z
          .number()
          .min(0)
          .max(3600)
          .default(0)
          .describe('0: one decision and return. > 0: keep following the loop (polling every poll_interval_s) for up to this long, returning at the first decision (see until)'),
        until: z
          .enum(['decision', 'change'])
          .default('decision')
          .describe('With wait_s: return when an attempt ends (decision), or also on a launch or any status change (change)'),
        preflight: PreflightInputSchema.omit({ task_yaml: true })
          .optional()
          .describe('Pre-flight options (cloud, tracking_url, required_env, overrides, …) for the check run before the first launch'),
      },
      outputSchema: {
        action: z.enum(['started', 'launched', 'waiting', 'attempt_ended', 'stopped']),
        detail: z.string(),
        steps: z.array(z.string()).describe('What the loop did during this call (launches, ended attempts, outages), in order'),
        polls: z.number().int().describe('Decisions taken (queue polls) during this call'),
        ended: z
          .enum(['step', 'stopped', 'decision', 'change', 'timeout', 'cancelled', 'sky_unavailable'])
          .describe('Why the call returned: one step (wait_s 0), the loop stopped, a decision, a change, wait_s passed, cancelled, or SkyPilot away past outage_window_s'),
        sky_unavailable: z
          .object({ command: z.string(), error: z.string(), since: z.string(), exceeded: z.boolean() })
          .nullable()
          .describe('SkyPilot did not answer on the last poll; the next call tries again'),
        report: RalphReportSchema,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async ({ preflight, wait_s, until, ...args }, extra) => {
      const given = RalphSettingsSchema.parse(args);
      // The task is launched and the notify targets are commands and URLs: both only from YAML files in the project.
      const settings = {
        ...given,
        task_yaml: await projectFile(server, given.task_yaml, { what: 'ralph_step task_yaml', extensions: YAML_EXTENSIONS }),
        ...(given.notify_config === undefined ? {} : { notify_config: await projectFile(server, given.notify_config, { what: 'ralph_step notify_config', extensions: YAML_EXTENSIONS }) }),
      };
      const run = runName(settings);
      const notifier = settings.notify_config === undefined ? null : ralphNotifier(ctx.outputsDir, run, readNotifyTargets(settings.notify_config));
      // Nothing is spent before the pre-flight passes: the first step of a run checks it.
      const before = ralphReport(run, ctx.outputsDir);
      if (before.outcome === 'running' && before.attempts.length === 0) {
        const pre = await runPreflight({ ...preflight, task_yaml: settings.task_yaml, outputs_dir: preflight?.outputs_dir ?? ctx.outputsDir });
        if (!pre.ok) {
          const failed = pre.checks.filter((c) => pre.blocking.includes(c.name)).map((c) => `${c.name}: ${c.detail}${c.fix_hint ? ` (fix: ${c.fix_hint})` : ''}`);
          throw refuse('PREFLIGHT_BLOCKED', `blocked by ${pre.blocking.join(', ')}`, failed, {});
        }
      }
      const clock = clockFromEnv();
      const rctx = defaultRalphContext(ctx.sky, ctx.outputsDir, clock);
      const progressToken = extra._meta?.progressToken;
      const outcome =
        wait_s === 0
          ? await ralphStep(settings, rctx).then((last) => ({ last, steps: [last.detail], polls: 1, ended: 'step' as const }))
          : await followRalph(settings, rctx, {
              clock,
              until,
              waitS: wait_s,
              signal: extra.signal,
              onStep: async (s, polls) => {
                notifier?.offer();
                if (progressToken === undefined) return;
                await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: polls, message: s.detail } });
              },
            });
      notifier?.offer();
      const { last, steps, polls, ended } = outcome;
      const next = last.action === 'stopped' ? `the loop has stopped; the whole story: skyloop ralph report ${last.run}` : `next: ralph_step(task_yaml=${JSON.stringify(given.task_yaml)}, wait_s=${wait_s || 300})`;
      return toolResult(
        { action: last.action, detail: last.detail, steps, polls, ended, sky_unavailable: last.sky_unavailable, report: ralphReport(last.run, ctx.outputsDir) },
        `${steps.join('\n')}${steps.at(-1) === last.detail ? '' : `\n${last.detail}`}\n${next}`,
      );
    },
  );
}
