import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { RebuildSchema } from '../../factorial/manifest.js';
import { rebuildAndVerify } from '../../factorial/rebuild-and-verify.js';
import { toolResult } from '../tool-result.js';
import { forExperiment } from '../../factorial/experiment-index.js';

export function registerRebuildAndVerifyDigest(server: McpServer, ctx: FactorialContext): void {
  server.registerTool(
    'rebuild_and_verify_digest',
    {
      title: 'Rebuild the image and verify its digest (F3)',
      description:
        "Rule F3 REBUILD-BEFORE-RELAUNCH: run the experiment config's trusted commands (test, build, push — taken from " +
        'the config file, never from arguments), then resolve the pushed tag in the registry and record the digest, ' +
        'commit and time. verified is false when a step fails, the registry does not know the tag, or the digest is ' +
        'the one the failed batch ran although the code or config changed (a stale push). relaunch_failed then runs ' +
        'the verified image pinned by digest. Refuses (F1) while a job of the batch is not terminal, even after the kill ' +
        'switch (the push moves the tag launching jobs pull), and (F3) from a work tree with uncommitted changes: commit first.',
      inputSchema: { experiment: z.string().describe('Experiment id') },
      outputSchema: RebuildSchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ experiment }) => {
      const scoped = forExperiment(ctx, experiment);
      const rebuild = await rebuildAndVerify(experiment, scoped);
      const text = rebuild.verified
        ? `verified ${rebuild.image} = ${rebuild.digest}`
        : `not verified: ${rebuild.refused_reason}`;
      return toolResult(rebuild, `rebuild #${rebuild.id}: ${text}`);
    },
  );
}
