// Benchmark: the unattended night of test/supervisor/night.test.ts (108 conditions, about four simulated
// hours, an outage, a hung log read, stuck jobs, a kill switch, autopilot) run once by real processes on the
// simulator's frozen clock. Reports what a night costs: polls, `sky` calls and supervisor CPU seconds per
// simulated hour, and queue calls per poll (1 at any grid size). Then the same for a grid of one: ralph-loop's
// night (bench/lib/ralph-night.js: a stuck job rotated, a transient failure, an outage, four hours of training).
// Baseline, same run: the CPU seconds of `skyloop --version`, the fixed cost of starting the CLI, so the
// per-poll work shows as a ratio to it.
import { execa } from 'execa';
import { join } from 'node:path';
import { isMain } from './lib/measure.js';
import { nightWorld, runNight, startReceiver } from './lib/night-world.js';
import { ralphNightScenario, ralphNightWorld } from './lib/ralph-night.js';
import { ROOT } from './lib/sim-fixture.js';

async function startupCpuS() {
  const r = await execa(process.execPath, ['-e', `const t=process.cpuUsage();import(${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))}).then(()=>{const u=process.cpuUsage(t);console.error((u.user+u.system)/1e6)})`, '--', '--version'], { reject: false });
  return Number(r.stderr.trim().split('\n').at(-1));
}

export async function run() {
  const receiver = await startReceiver();
  const w = nightWorld(receiver.url);
  const started = Date.now();
  try {
    await runNight(w);
  } finally {
    await receiver.close();
  }
  const events = w.events();
  const stops = events.filter((e) => e.type === 'supervisor' && e.action === 'stopped');
  const polls = stops.reduce((s, e) => s + e.polls, 0);
  const cpu = stops.reduce((s, e) => s + e.cpu_s, 0);
  const calls = w.skyCalls();
  const count = (k) => calls.filter((c) => c === k).length;
  const failedPolls = events.filter((e) => e.type === 'sky_unavailable').length;
  const m = w.manifest();
  const first = Date.parse(m.jobs.flatMap((j) => j.attempts).map((a) => a.submitted_at).filter(Boolean).sort()[0]);
  const last = Math.max(...m.jobs.map((j) => Date.parse(j.end_time ?? j.start_time ?? '0')));
  // SkyPilot's times are shown at their simulated age: their span is the simulated night.
  const hours = (last - first) / 3_600_000;
  const base = await startupCpuS();
  const per = (x) => (x / hours).toFixed(1);
  const one = await ralphNight(base);
  return {
    title: `supervisor night: ${m.jobs.length} conditions, ${hours.toFixed(1)} simulated hours, ${((Date.now() - started) / 1000).toFixed(0)} s real; then a grid of one`,
    lines: [
      `polls ${polls} (${per(polls)}/simulated h), ${failedPolls} of them during the outage`,
      `sky calls ${calls.length - count('sim')} (${per(calls.length - count('sim'))}/simulated h): queue ${count('queue')}, logs ${count('logs')}, launch ${count('launch')}, cancel ${count('cancel')}`,
      `queue calls per successful poll ${((count('queue') - 2 - 3 * failedPolls) / (polls - failedPolls)).toFixed(2)} (one for the whole grid; +1 per launch reconcile, 3 per failed poll)`,
      `supervisor CPU ${cpu.toFixed(1)} s (${per(cpu)} s/simulated h, ${(cpu / polls * 1000).toFixed(0)} ms/poll = ${(cpu / polls / base).toFixed(1)}x the CLI start-up, ${base.toFixed(2)} s)`,
      ...one,
    ],
  };
}

/** ralph-loop's night, one job: the same numbers per simulated hour, from a real `skyloop ralph run`. */
async function ralphNight(base) {
  const w = ralphNightWorld(ralphNightScenario('4h'));
  const started = Date.now();
  const run = await w.ralph(['--json'], { cpu: true });
  if (run.exitCode !== 0) throw new Error(`ralph run failed (exit ${run.exitCode}): ${run.stderr}`);
  const { polls, attempts } = JSON.parse(run.stdout);
  const events = w.events();
  // Each pause between polls advances the simulator 300 s: their sum is the simulated span.
  const sims = w.skyCalls().filter((c) => c === 'sim').length;
  const hours = (sims * 300) / 3600;
  const calls = w.skyCalls().filter((c) => c !== 'sim');
  const count = (k) => calls.filter((c) => c === k).length;
  const failed = events.filter((e) => e.type === 'sky_unavailable').length;
  const launches = count('launch');
  const reads = polls - launches; // every step but a launch reads the queue once
  const per = (x) => (x / hours).toFixed(1);
  return [
    `ralph night: 1 job, ${attempts.length} attempts, ${hours.toFixed(1)} simulated hours, ${((Date.now() - started) / 1000).toFixed(0)} s real`,
    `  polls ${reads} (${per(reads)}/simulated h), ${failed} of them during the outage`,
    `  sky calls ${calls.length} (${per(calls.length)}/simulated h): queue ${count('queue')}, logs ${count('logs')}, launch ${launches}, cancel ${count('cancel')}, gpus ${count('gpus')}`,
    `  queue calls per successful poll ${((count('queue') - 1 - 3 * failed) / (reads - failed)).toFixed(2)} (+1 for the success log's lookup, 3 per failed poll)`,
    `  ralph run CPU ${run.cpu_s.toFixed(1)} s, its sky-sim children included (${per(run.cpu_s)} s/simulated h, ${(run.cpu_s / polls * 1000).toFixed(0)} ms/step = ${(run.cpu_s / polls / base).toFixed(1)}x the CLI start-up)`,
  ];
}

if (isMain(import.meta.url)) {
  const { title, lines } = await run();
  console.log(`${title}\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
