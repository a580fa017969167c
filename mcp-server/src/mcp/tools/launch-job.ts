import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { toolResult } from '../tool-result.js';
import { projectFile } from '../project-dir.js';
import { YAML_EXTENSIONS } from '../trusted-paths.js';

export function registerLaunchJob(server: McpServer, ctx: FactorialContext): void {
  server.registerTool(
    'launch_job',
    {
      title: 'Launch one managed job',
      description:
        'Submit one SkyPilot managed job (sky jobs launch, detached) and return its id. Run preflight_check first. For a ' +
        'job that should be retried and fixed automatically until it succeeds, use ralph_step instead; for a grid, launch_factorial.',
      inputSchema: {
        task_yaml: z.string().describe("SkyPilot task YAML: an existing .yaml/.yml file inside the project; a relative path is the client's project's (MCP roots, else CLAUDE_PROJECT_DIR)"),
        name: z.string().describe('Managed job name (letters, digits, - _ .)'),
        env: z.record(z.string(), z.string()).optional().describe('Extra env vars (--env)'),
        infra: z.string().optional().describe('cloud[/region], e.g. aws/us-east-1'),
        gpus: z.string().optional().describe('e.g. A100:1'),
        use_spot: z.boolean().optional(),
      },
      outputSchema: { job_id: z.number().int(), command: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ task_yaml, name, env, infra, gpus, use_spot }) =>
      toolResult(
        await ctx.sky.launch(await projectFile(server, task_yaml, { what: 'launch_job task_yaml', extensions: YAML_EXTENSIONS }), {
          name, env, infra, gpus, useSpot: use_spot,
        }),
      ),
  );
}
