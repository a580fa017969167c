// ralph-loop's night (issue 12: "one job is a grid of one"): a real `skyloop ralph run` process driving the
// simulator's frozen clock, so every poll happens at the same simulated time on any machine. Its one job is
// placed by SkyPilot where it never gets capacity (GCP, the cheapest L4), fails transiently once after the
// rotation, and lives through a 15-minute API outage. Shared by test/ralph/ralph-unattended.test.ts and
// bench/supervisor-night.js.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nightEnv } from './night-world.js';
import { ROOT } from './sim-fixture.js';

const SKYLOOP = join(ROOT, 'bin', 'skyloop');

// No infra: SkyPilot places an L4 where it is cheapest (GCP us-central1).
const TASK = `name: night
resources:
  accelerators: L4:1
  use_spot: true
run: python train.py
`;

/** The job's story; `duration`: how long the successful attempt trains. */
export const ralphNightScenario = (duration = '20m') => `defaults: {duration: ${duration}, startup: {pending: 1m, starting: 2m}}
rules:
  - {match: {infra: "gcp/*"}, outcome: stuck}
  - {match: {name: "*-a2"}, outcome: fail, category: NCCL_ERROR, at_minute: 10}
faults:
  # SkyPilot's API server is down from 40 to 55 simulated minutes: every call fails.
  - {mode: api-unreachable, after: 40m, for: 15m}
`;

export function ralphNightWorld(scenario = ralphNightScenario()) {
  const dir = mkdtempSync(join(tmpdir(), 'skyloop-ralph-night-'));
  writeFileSync(join(dir, 'scenario.yaml'), scenario);
  writeFileSync(join(dir, 'train.sky.yaml'), TASK);
  const outputs = join(dir, 'outputs');
  const env = nightEnv(dir, outputs);
  const args = (more) => ['ralph', 'run', join(dir, 'train.sky.yaml'), '--infra', 'gcp/us-central1,aws/us-east-1', '--poll-interval', '300', '--skip-preflight', ...more];
  return {
    dir,
    env,
    outputs,
    /** `skyloop ralph run` on the night's task; `cpu`: also measure its CPU seconds (GNU time), children included. */
    ralph: async (more = [], { cpu = false } = {}) => {
      if (!cpu) return execa(SKYLOOP, args(more), { env, reject: false, stdin: 'ignore' });
      const times = join(dir, 'cpu.txt');
      const r = await execa('/usr/bin/time', ['-o', times, '-f', '%U %S', SKYLOOP, ...args(more)], { env, reject: false, stdin: 'ignore' });
      const [user, sys] = readFileSync(times, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      return { ...r, cpu_s: user + sys };
    },
    report: async () => JSON.parse((await execa(SKYLOOP, ['ralph', 'report', 'night', '--json'], { env })).stdout),
    events: () => readFileSync(join(outputs, 'ralph_diagnoses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
    skyCalls: () => readFileSync(env.SKYLOOP_SIM_CALL_LOG, 'utf8').trim().split('\n'),
  };
}
