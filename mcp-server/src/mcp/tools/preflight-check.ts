import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { CHECK_NAMES, PreflightInputSchema, runPreflight } from '../../preflight/index.js';
import { toolResult } from '../tool-result.js';
import { projectFile } from '../project-dir.js';
import { YAML_EXTENSIONS } from '../trusted-paths.js';

const PreflightResultSchema = z.object({
  ok: z.boolean().describe('Nothing blocks the launch'),
  blocking: z.array(z.string()),
  overridden: z.array(z.string()),
  checks: z.array(
    z.object({
      name: z.string(), status: z.enum(['pass', 'fail', 'skipped']), detail: z.string(), fix_hint: z.string().nullable(),
      duration_ms: z.number(), data: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

export function registerPreflightCheck(server: McpServer, ctx: FactorialContext): void {
  server.registerTool(
    'preflight_check',
    {
      title: 'Pre-flight checks before a launch',
      description:
        `Check, in parallel and each with a time limit, everything a launch needs: ${CHECK_NAMES.join(', ')}. Every check ` +
        'passes, fails with a fix hint, or is skipped with its reason; env var values are never shown. A failed check ' +
        'blocks the launch unless the user overrides it by name. Call before launch_job or ralph_step.',
      inputSchema: PreflightInputSchema.shape,
      outputSchema: PreflightResultSchema.shape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (input) => {
      const task_yaml = await projectFile(server, input.task_yaml, { what: 'preflight_check task_yaml', extensions: YAML_EXTENSIONS });
      return toolResult(await runPreflight({ ...input, task_yaml, outputs_dir: input.outputs_dir ?? ctx.outputsDir }));
    },
  );
}
