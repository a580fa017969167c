// The simulator holding the same jobs as a contract scenario: its state file written from the scenario's
// transitions, its clock frozen at the scenario's instant, emulating the same SkyPilot release.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord } from '../../mcp-server/src/simulator/timeline.js';
import type { SimState } from '../../mcp-server/src/simulator/state.js';
import { SKY_SIM, tempDir } from '../helpers/paths.js';
import type { CommandResult } from './run-harness.js';
import { USERS, type Scenario } from './scenario.js';

/** When SkyPilot records a task as submitted: SUBMITTED on 0.9.x, STARTING later. */
function submitTime(events: [string, number][]): number | undefined {
  return (events.find(([s]) => s === 'SUBMITTED') ?? events.find(([s]) => s === 'STARTING'))?.[1];
}

export function simState(scenario: Scenario): SimState {
  const users: Record<string, string> = scenario.users ?? { alice: USERS.alice };
  const jobs: JobRecord[] = scenario.jobs.map((job, n) => {
    const user = job.user ?? Object.keys(users)[0]!;
    return {
      id: n + 1,
      name: job.name,
      user,
      uh: users[user]!,
      ws: 'default',
      sub: job.tasks[0]!.events[0]![1],
      rts: 'sky-harness',
      tasks: job.tasks.map((t) => {
        const sub = submitTime(t.events);
        return {
          name: t.name,
          res: t.resources,
          ...(sub === undefined ? {} : { sub }),
          tl: t.events.map(([s, at]) => [s, at] as [string, number]),
          ...(t.failure_reason === undefined ? {} : { fr: t.failure_reason }),
          // The harness launches no job cluster: SkyPilot has no infra to show.
          infra: '-',
          cloud: '-',
          region: '-',
          cres: '-',
          cluster: null,
          zone: '-',
          log: { nodes: 1, su: [], ru: [], n: 0, iv: 60, sd: 0, kept: t.log ?? null },
        };
      }),
    };
  });
  return { v: 1, epoch: { sim: scenario.now, real: 0 }, offset: 0, speed: 0, nextId: jobs.length + 1, jobs };
}

export interface SimWorld {
  run(argv: string[], user?: string): Promise<CommandResult>;
}

export function simWorld(scenario: Scenario, emulate: string): SimWorld {
  const home = tempDir('contract-sim');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'state.json'), JSON.stringify(simState(scenario)));
  const users: Record<string, string> = scenario.users ?? { alice: USERS.alice };
  return {
    async run(argv, user = Object.keys(users)[0]!) {
      const r = await execa(SKY_SIM, argv, {
        env: {
          SKYLOOP_SIM_HOME: home,
          SKYLOOP_SIM_SPEED: '0',
          SKYLOOP_SIM_EMULATE: emulate,
          SKYLOOP_SIM_COLOR: '', // the default colour mode: what SkyPilot prints through a pipe
          SKYLOOP_SIM_SCENARIO: '',
          SKYLOOP_SIM_FAULT: '',
          SKYLOOP_SIM_CONTROLLER: scenario.controller ?? 'up',
          SKYPILOT_USER: user,
          SKYPILOT_USER_ID: users[user]!,
        },
        reject: false,
        stdin: 'ignore',
        stripFinalNewline: false,
        timeout: 20_000,
      });
      return { argv, stdout: String(r.stdout), stderr: String(r.stderr), exit_code: r.timedOut ? null : (r.exitCode ?? -1), timed_out: r.timedOut };
    },
  };
}
