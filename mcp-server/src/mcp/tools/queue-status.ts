import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { experimentStatus, ExperimentStatusSchema } from '../../factorial/experiment-status.js';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { pollExperiment } from '../../factorial/poll-experiment.js';
import { briefSummary } from '../../factorial/summary.js';
import { toolResult } from '../tool-result.js';
import { forExperiment } from '../../factorial/experiment-index.js';

export function registerQueueStatus(server: McpServer, ctx: FactorialContext): void {
  server.registerTool(
    'queue_status',
    {
      title: 'Experiment status',
      description:
        'The compact status of a factorial experiment: counts by status, progress, cost so far, and only the jobs ' +
        'that need attention (failed, stuck, recovering). refresh polls `sky jobs queue` once first; all adds the full ' +
        'grid. Read-only: never cancels or launches. To wait for progress use wait_for_change instead of calling this in a loop.',
      inputSchema: {
        experiment: z.string().describe('Experiment id (the `experiment:` name of the config)'),
        refresh: z.boolean().default(true).describe('Poll SkyPilot before answering'),
        all: z.boolean().default(false).describe('Include one row per condition (large grids: many rows)'),
      },
      outputSchema: ExperimentStatusSchema.shape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ experiment, refresh, all }) => {
      const scoped = forExperiment(ctx, experiment);
      if (refresh) await pollExperiment(experiment, scoped, { killSwitch: false });
      const status = experimentStatus(experiment, scoped, { all });
      return toolResult(status, briefSummary(status));
    },
  );
}
