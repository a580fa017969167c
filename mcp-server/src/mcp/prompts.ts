// MCP prompts mirroring the two slash commands, for clients that have MCP but not Claude Code skills.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const FACTORIAL = (config: string) => `Run the factorial experiment ${config} with skyloop, by the rules the tools enforce:
1. launch_factorial(config_path="${config}") — if it refuses for cost, show the estimate and ask the user before approve=true.
2. wait_for_change(experiment) repeatedly until summary.all_terminal (do not poll queue_status in a loop). Diagnose nothing while jobs run (F1); the kill switch acts by itself.
3. aggregate_failures(experiment) (F2): present the root causes, most jobs first, with their factor pattern and fix strategy.
4. Fix each root cause once in the code or config, commit, then rebuild_and_verify_digest(experiment) (F3). If it is not verified, say why and stop.
5. relaunch_failed(experiment); then back to step 2. At most 2 relaunch cycles (F4): past that, ask the user for an authorization with a new budget cap.
6. generate_report(experiment) and give the user its path and the issues filed.
When a tool refuses, it names the rule: do what it says; never work around it.`;

const RALPH = (task: string, budget: string) => `Run the SkyPilot job ${task} to success with skyloop's single-job loop, budget $${budget}:
1. preflight_check(task_yaml="${task}") — fix what fails, or ask the user before overriding a check by name.
2. ralph_step(task_yaml="${task}", budget_usd=${budget}, wait_s=300, …) repeatedly: each call follows the job to its next decision (progress notifications meanwhile); say what each attempt_ended decided; stop when action is "stopped".
   The loop applies only safe automatic fixes (rotate region/GPU, raise disk, halve the batch size, go on-demand) to a copy of the task,
   retries a category at most 3 times, and stops for anything that needs a code or config change.
3. Report the outcome from the last step's report: attempts, cost, wall time, diagnoses, the tracking URL, and any issue draft.
Use analyze_logs(job_id) for detail on a failure; never edit the user's task file to get around a stop.`;

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'factorial-monitor',
    {
      title: 'Run a factorial experiment',
      description: 'Launch, watch, diagnose, fix, relaunch and report a factorial grid of SkyPilot jobs (the /factorial-monitor skill).',
      argsSchema: { config: z.string().describe('Path of the experiment config YAML') },
    },
    ({ config }) => ({ messages: [{ role: 'user', content: { type: 'text', text: FACTORIAL(config) } }] }),
  );
  server.registerPrompt(
    'ralph-loop',
    {
      title: 'Run one job to success',
      description: 'Pre-flight, launch, diagnose, apply safe fixes and retry one SkyPilot job within a budget (the /ralph-loop skill).',
      argsSchema: {
        task_yaml: z.string().describe('Path of the SkyPilot task YAML'),
        budget: z.string().optional().describe('Budget in USD (default 5)'),
      },
    },
    ({ task_yaml, budget }) => ({ messages: [{ role: 'user', content: { type: 'text', text: RALPH(task_yaml, budget ?? '5') } }] }),
  );
}
