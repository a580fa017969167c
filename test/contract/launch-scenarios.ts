// `sky jobs launch` scenarios: the adapter's detached launch of a task YAML, twice (two ids), with the jobs
// controller up, then the queue the adapter reads to know which ids SkyPilot gave.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADAPTER_JSON, ADAPTER_TABLE } from './queue-scenarios.js';
import { NOW, type Scenario } from './scenario.js';

/** The task YAML both SkyPilot and the simulator read (its path is printed: the same file for both). */
export const TASK_YAML = join(mkdtempSync(join(tmpdir(), 'skyloop-launch-task-')), 'task.yaml');
writeFileSync(TASK_YAML, 'name: train\nrun: echo hello\n');

/** The names launched, in order; SkyCli.launch passes the name and `--detach-run` (skyloop never follows). */
export const LAUNCHED = ['train', 'evaluate'];

/** The command SkyCli.launch runs for a name (sky-cli.ts). */
export const launchArgv = (name: string): string[] => ['jobs', 'launch', '--yes', '--name', name, '--detach-run', TASK_YAML];

export function launchScenarios(): Scenario[] {
  return [
    {
      id: 'launch',
      now: NOW,
      jobs: [],
      commands: [...LAUNCHED.map((name) => ({ argv: launchArgv(name), timeout: 300 })), { argv: ADAPTER_JSON }, { argv: ADAPTER_TABLE }],
    },
  ];
}
