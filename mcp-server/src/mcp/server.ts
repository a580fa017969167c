// The MCP server, without a transport: tests connect it in memory, main.ts over stdio.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FactorialContext } from '../factorial/factorial-context.js';
import { packageVersion } from '../util/package-root.js';
import { registerExperimentResources } from './experiment-resources.js';
import { registerPrompts } from './prompts.js';
import { registerTools } from './tools/index.js';


const INSTRUCTIONS = `skyloop launches and watches SkyPilot managed jobs, one job or a factorial grid, and enforces the rules:
F1 wait for every job to be terminal before diagnosing or fixing (except the kill switch), F5 every condition and job id
is in the manifest. Factorial flow: launch_factorial(config_path) → wait_for_change(experiment) until all_terminal →
queue_status(experiment) → aggregate_failures(experiment) before any fix (F2) → fix the code → rebuild_and_verify_digest
(F3) → relaunch_failed (F4: at most 2 cycles) → wait_for_change → generate_report. analyze_logs diagnoses one job.
Single job: preflight_check → ralph_step with wait_s (one call per decision) until it stops (safe automatic fixes only, 3 retries per category, budget; stuck jobs rotated, SkyPilot outages waited out).
A tool that refuses says which rule and why: do what it says, do not work around it.`;

export function createServer(ctx: FactorialContext): McpServer {
  const server = new McpServer({ name: 'skyloop', version: packageVersion() }, { instructions: INSTRUCTIONS, capabilities: { logging: {} } });
  registerTools(server, ctx);
  registerExperimentResources(server, ctx);
  registerPrompts(server);
  return server;
}
