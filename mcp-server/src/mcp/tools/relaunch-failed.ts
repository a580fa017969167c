import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { relaunchFailed, RelaunchResultSchema } from '../../factorial/relaunch-failed.js';
import { toolResult } from '../tool-result.js';
import { forExperiment } from '../../factorial/experiment-index.js';

export function registerRelaunchFailed(server: McpServer, ctx: FactorialContext): void {
  server.registerTool(
    'relaunch_failed',
    {
      title: 'Relaunch only the failed conditions',
      description:
        'Relaunch the failed, kill-switch-cancelled and stuck-cancelled conditions as a new batch, updating the ' +
        'same manifest entries (stuck ones move to the next untried relaunch.fallback resources of the config). By default ' +
        'failures the pattern library marks unrecoverable without a change are skipped; conditions selects exactly which; ' +
        'include_cancelled adds conditions a person cancelled. Refuses, naming the rule and the next call, unless (checked in this order): F1 every job ' +
        'is terminal; something failed (else NOTHING TO RELAUNCH: generate_report); F4 the cycle stays within the limit ' +
        '(2) — going past it needs authorize (max_cycles = the new total) with a new budget cap, given only when the ' +
        'user said so; the estimate fits the remaining budget; F2 aggregate_failures covered every failure; F3 no ' +
        'uncommitted changes, and after a code/config change a verified rebuild_and_verify_digest exists (jobs then run ' +
        'the image pinned by digest). A refused call changes nothing. Concurrent calls launch one batch. Next: wait_for_change.',
      inputSchema: {
        experiment: z.string().describe('Experiment id'),
        authorize: z
          .object({
            max_cycles: z.number().int().min(1).describe('The new total number of relaunch cycles allowed (3 = one more after two), not a number to add'),
            budget_usd: z.number().positive().describe('New budget cap that comes with it'),
            reason: z.string().min(3).describe("The user's words authorizing it"),
          })
          .optional()
          .describe('Only with explicit user authorization: raise the F4 cycle limit'),
        conditions: z.array(z.string()).optional().describe('Relaunch exactly these conditions (each failed or cancelled)'),
        include_cancelled: z.boolean().optional().describe('Also relaunch conditions cancelled by a person'),
        exclude_categories: z.array(z.string()).optional().describe('Leave out failures of these categories'),
      },
      outputSchema: RelaunchResultSchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ experiment, authorize, conditions, include_cancelled, exclude_categories }) => {
      const scoped = forExperiment(ctx, experiment);
      const r = await relaunchFailed(experiment, { authorize, selection: { conditions, include_cancelled, exclude_categories } }, scoped);
      return toolResult(
        r,
        `batch ${r.batch} relaunches ${r.conditions.length} condition(s) on ${r.image}, estimated $${r.estimated_cost_usd.toFixed(2)}; ` +
          `launched ${r.launched}, failed ${r.failed.length}; ${r.cycles}. next: ${r.next}`,
      );
    },
  );
}
