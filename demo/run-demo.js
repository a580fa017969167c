#!/usr/bin/env node
// `npm run demo`: the factorial story on the embedded SkyPilot simulator, in about half a minute.
// A 24-condition grid is launched and watched; a planted out-of-memory failure fires the kill switch.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(repo, '.demo');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const env = {
  ...process.env,
  SKYLOOP_SKY_BIN: join(repo, 'bin', 'sky-sim'),
  SKYLOOP_SIM_HOME: join(work, 'sky-sim'),
  SKYLOOP_SIM_SCENARIO: join(repo, 'demo', 'scenario.yaml'),
  SKYLOOP_SIM_SPEED: process.env.SKYLOOP_SIM_SPEED ?? '100', // 100 simulated seconds per real second
  SKYLOOP_OUTPUTS_DIR: join(work, 'outputs'),
};
const skyloop = join(repo, 'bin', 'skyloop');

function step(title, args, { allowFailure = false } = {}) {
  console.log(`\n\x1b[1m$ skyloop ${args.join(' ')}\x1b[0m   # ${title}`);
  const r = spawnSync(skyloop, args, { env, stdio: 'inherit', cwd: repo });
  if (r.status !== 0 && !allowFailure) process.exit(r.status ?? 1);
  return r.status;
}

console.log('skyloop demo: a 2x2x2x3 factorial grid on the embedded SkyPilot simulator (1 real second = 100 simulated).');
step('launch every condition (cost above the $20 approval threshold, so --approve)', ['factorial', 'launch', 'templates/experiment.example.yaml', '--approve']);
step('one queue for the whole grid, as SkyPilot reports it', ['queue']);
const code = step('watch until every job is terminal (kill switch armed)', ['factorial', 'watch', 'seg-losses', '--interval', '1'], { allowFailure: true });
step('the final grid', ['factorial', 'status', 'seg-losses', '--all']);
step('F2: every failure diagnosed and grouped by root cause before anything is fixed', ['factorial', 'diagnose', 'seg-losses']);
console.log(`\nwatch exited ${code} (0 = all succeeded). Manifest and event log: ${join('.demo', 'outputs')}/`);
execFileSync('ls', [join(work, 'outputs')], { stdio: 'inherit' });
