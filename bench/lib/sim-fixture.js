// Realistic SkyPilot output for benchmarks, produced by the simulator itself: job timelines come from the
// simulator's own `buildTask`, are written into a state directory in its own format (clock frozen), and the
// text is what `bin/sky-sim jobs queue` prints for them. No hand-written copy of the table or JSON format.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTimestamp } from '../../dist/simulator/job-logs.js';
import { buildTask, cancelJob } from '../../dist/simulator/timeline.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SKY_SIM = join(ROOT, 'bin', 'sky-sim');

/** Simulated "now" of every fixture (frozen clock): 2026-06-01T12:00:00Z. */
export const SIM_NOW = Date.UTC(2026, 5, 1, 12) / 1000;

const USER = { name: 'bench', hash: 'b3nchb3n' };
const HOUR = 3600;

/**
 * Job fates of the factorial grid, as shares (5% failed, 2% stuck in PENDING/STARTING, the rest about half
 * RUNNING, half SUCCEEDED).
 */
export const GRID_MIX = [
  { share: 0.05, fate: 'failed' },
  { share: 0.02, fate: 'stuck' },
  { share: 0.46, fate: 'running' },
  { share: 0.47, fate: 'succeeded' },
];

/** A wider mix for the raw queue benchmark: every table cell shape SkyPilot prints. */
export const QUEUE_MIX = [
  { share: 0.05, fate: 'failed' },
  { share: 0.02, fate: 'stuck' },
  { share: 0.02, fate: 'recovering' },
  { share: 0.02, fate: 'cancelled' },
  { share: 0.01, fate: 'failed_setup' },
  { share: 0.4, fate: 'running' },
  { share: 0.48, fate: 'succeeded' },
];

/** Deterministic fate of job i (1-based) under a mix: spread evenly, not in blocks. */
function fateOf(i, mix) {
  // Golden-ratio stride gives a well-spread, reproducible assignment.
  const u = (i * 0.6180339887498949) % 1;
  let acc = 0;
  for (const m of mix) {
    acc += m.share;
    if (u < acc) return m.fate;
  }
  return mix.at(-1).fate;
}

/** Simulator rule + submission age that make job i be in `fate` at SIM_NOW. */
function plan(fate, i) {
  const jitter = (i % 97) * 37; // seconds
  switch (fate) {
    case 'failed':
      return { age: 3 * HOUR + jitter, rule: { outcome: 'fail', at: 40 * 60 + jitter, reason: `To see the details, run: sky jobs logs --controller ${i}` } };
    case 'failed_setup':
      return { age: 2 * HOUR + jitter, rule: { outcome: 'fail_setup' } };
    case 'stuck':
      return { age: 5 * HOUR + jitter, rule: { outcome: 'stuck' } };
    case 'recovering':
      // RUNNING at +120 s, preempted 20 min later, recovering for 5 min.
      return { age: 2 + 120 + 20 * 60 + 60 + (i % 60), rule: { outcome: 'preempt', times: 1, every: 20 * 60, recovery: 5 * 60, duration: 6 * HOUR } };
    case 'cancelled':
      return { age: 4 * HOUR + jitter, rule: { outcome: 'succeed', duration: 8 * HOUR }, cancelAfter: HOUR };
    case 'running':
      return { age: 1 * HOUR + jitter, rule: { outcome: 'succeed', duration: 6 * HOUR } };
    case 'succeeded':
    default:
      return { age: 9 * HOUR + jitter, rule: { outcome: 'succeed', duration: 2 * HOUR + jitter } };
  }
}

/**
 * A simulator state with `names.length` single-task jobs (ids 1..n), fates drawn from `mix`.
 * Returns the state directory and the env that makes `bin/sky-sim` read it with a frozen clock.
 */
export function writeSimState(dir, names, mix) {
  const scenario = { rules: [] };
  const jobs = names.map((name, k) => {
    const id = k + 1;
    const fate = fateOf(id, mix);
    const { age, rule, cancelAfter } = plan(fate, id);
    const t0 = SIM_NOW - age;
    const spec = {
      name,
      resources: '1x[H100:8][Spot]',
      nodes: 1,
      envs: {},
      setup: 'echo "installing deps"',
      run: 'echo "training"',
      cloud: 'AWS',
      region: 'us-east-1',
      clusterResources: '1x(gpus=H100:8, cpus=192, mem=2048, p5.48xlarge[Spot], disk=256)',
    };
    const { task } = buildTask(spec, rule, scenario, id, t0);
    const job = { id, name, user: USER.name, uh: USER.hash, ws: 'default', sub: t0, tasks: [task], rts: runTimestamp(t0) };
    if (cancelAfter !== undefined) cancelJob(job, t0 + cancelAfter);
    return job;
  });
  mkdirSync(dir, { recursive: true });
  const state = { v: 1, epoch: { sim: SIM_NOW, real: Date.now() / 1000 }, offset: 0, speed: 0, nextId: jobs.length + 1, jobs };
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
  return simEnv(dir);
}

/** Environment for `bin/sky-sim` reading the state in `dir`, clock frozen, as the bench user. */
export function simEnv(dir) {
  return {
    SKYLOOP_SIM_HOME: dir,
    SKYLOOP_SIM_SPEED: '0',
    SKYLOOP_SIM_COLOR: 'always',
    SKYLOOP_SIM_SCENARIO: '',
    SKYLOOP_SIM_FAULT: '',
    SKYPILOT_USER: USER.name,
    SKYPILOT_USER_ID: USER.hash,
  };
}

/** stdout of `sky-sim [--emulate v] <args>` run on a prepared state. */
export function runSim(env, args, emulate = 'current') {
  return execFileSync(process.execPath, [SKY_SIM, '--emulate', emulate, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
}
