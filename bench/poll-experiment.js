// Benchmark: one poll of a 2,000-job factorial experiment — parse the queue JSON, fold it into the manifest
// under the store's lock (read, applyQueue, append events, atomic write), then the agent-facing summary.
// That is pollExperiment minus the child process; one real pollExperiment against bin/sky-sim follows.
// Baseline, same run: JSON.parse + JSON.stringify of the manifest, the unavoidable cost of reading/writing it.
import { Buffer } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expandConditions, jobName } from '../dist/factorial/conditions.js';
import { defaultContext } from '../dist/factorial/factorial-context.js';
import { applyQueue, beginBatch, createManifest, recordLaunch } from '../dist/factorial/manifest.js';
import { pollExperiment } from '../dist/factorial/poll-experiment.js';
import { summarize } from '../dist/factorial/summary.js';
import { parseQueueJson } from '../dist/sky/queue-json-parser.js';
import { SkyCli } from '../dist/sky/sky-cli.js';
import { ExperimentStore } from '../dist/store/experiment-store.js';
import { interleaved, isMain, kb, median, medianOf, ms, ratio } from './lib/measure.js';
import { GRID_MIX, runSim, SIM_NOW, SKY_SIM, writeSimState } from './lib/sim-fixture.js';

const EXPERIMENT = 'bench2000';
// 5 × 4 × 10 × 10 = 2,000 conditions.
const FACTORS = {
  model: ['dynunet', 'segresnet', 'swinunetr', 'unetr', 'attention_unet'],
  loss: ['dice', 'dice_ce', 'focal', 'tversky'],
  lr: [1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2],
  fold: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
};
const IMAGE = 'docker:ghcr.io/example/train@sha256:' + 'a'.repeat(64);

/** The manifest right after launching every condition (job ids 1..n, as the simulator state numbers them). */
function launchedManifest(conditions, names) {
  const launchedAt = new Date((SIM_NOW - 10 * 3600) * 1000);
  const m = createManifest({
    experimentId: EXPERIMENT,
    configFile: 'experiments/bench.yaml',
    taskYaml: 'templates/train.sky.yaml',
    factors: FACTORS,
    conditions,
    image: IMAGE,
    hourlyRateUsd: 24.5,
    nodesPerJob: 1,
    budgetUsd: 1_000_000,
    estimatedCostUsd: conditions.length * 2 * 24.5,
    maxRelaunchCycles: 2,
    monitor: { poll_interval_s: 60, stuck_after_s: 1800, kill_switch: { enabled: true, min_failures: 3, window_s: 1800 } },
    now: launchedAt,
  });
  const batch = { batch: 0, started_at: launchedAt.toISOString(), git_commit: 'f'.repeat(40), git_dirty: false, config_sha256: 'sha256:' + 'c'.repeat(64), docker_image: IMAGE, docker_digest: IMAGE.split('@')[1] };
  const t0 = performance.now();
  beginBatch(m, batch, conditions.map((c, i) => ({ condition: c.id, job_name: names[i] })));
  conditions.forEach((c, i) => recordLaunch(m, c.id, { job_id: i + 1 }));
  return { manifest: m, buildMs: performance.now() - t0 };
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'skyloop-bench-poll-'));
  try {
    const conditions = expandConditions({ factors: FACTORS, exclude: [] });
    const names = conditions.map((c) => jobName(EXPERIMENT, c, 0));
    const n = conditions.length;
    const simDir = join(root, 'sim');
    const env = writeSimState(simDir, names, GRID_MIX);
    const queueJson = runSim(env, ['jobs', 'queue', '-a', '-v', '-o', 'json']);
    const now = new Date(SIM_NOW * 1000);

    // beginBatch + recordLaunch for the whole grid (what a launch records), a few times.
    const buildTimes = [];
    let launched;
    for (let i = 0; i < 5; i++) {
      launched = launchedManifest(conditions, names);
      buildTimes.push(launched.buildMs);
    }
    const store = new ExperimentStore(join(root, 'outputs'), EXPERIMENT);
    await store.create(launched.manifest, []);
    const launchedText = readFileSync(store.manifestPath, 'utf8');
    const resetToLaunched = () => {
      writeFileSync(store.manifestPath, launchedText);
      writeFileSync(store.eventsPath, '');
    };

    const phases = { parse: [], update: [], summary: [] };
    let summary;
    const poll = async () => {
      const t0 = performance.now();
      const records = parseQueueJson(queueJson);
      const t1 = performance.now();
      await store.update((m) => {
        const changes = applyQueue(m, records);
        m.last_poll_at = now.toISOString();
        return { events: changes.map((c) => ({ type: 'status_change', ...c })), result: changes };
      });
      const t2 = performance.now();
      summary = summarize(store.read(), now);
      const t3 = performance.now();
      phases.parse.push(t1 - t0);
      phases.update.push(t2 - t1);
      phases.summary.push(t3 - t2);
      return summary;
    };

    // First poll after launch: every job changes status (2,000 events appended).
    const firstMs = await median(poll, { before: resetToLaunched, runs: 7 });
    // Steady state: the same queue again, nothing changes.
    resetToLaunched();
    await poll();
    for (const k of Object.keys(phases)) phases[k] = [];
    const manifestText = readFileSync(store.manifestPath, 'utf8');
    // The store writes the manifest indented by 2, so the baseline does too.
    const [steadyMs, baseMs] = await interleaved([poll, () => JSON.stringify(JSON.parse(manifestText), null, 2)], { runs: 9 });

    const counts = Object.entries(summary.counts).map(([s, c]) => `${c} ${s}`).join(', ');
    const lines = [
      `grid: ${counts}; ${summary.attention.length + summary.attention_more} rows need attention`,
      `queue JSON ${kb(Buffer.byteLength(queueJson))}, manifest ${kb(Buffer.byteLength(manifestText))} (${Buffer.byteLength(manifestText)} B), ` +
        `summary ${Buffer.byteLength(JSON.stringify(summary))} B (JSON.stringify, ${summary.attention.length} attention rows + ${summary.attention_more} more)`,
      `${'baseline manifest JSON.parse+stringify'.padEnd(42)} ${ms(baseMs).padStart(9)}`,
      `${`poll, first after launch (${n.toLocaleString('en')} changes)`.padEnd(42)} ${ms(firstMs).padStart(9)}  ${ratio(firstMs, baseMs)} baseline`,
      `${'poll, steady state (no changes)'.padEnd(42)} ${ms(steadyMs).padStart(9)}  ${ratio(steadyMs, baseMs)} baseline` +
        `  = parse ${ms(medianOf(phases.parse))} + update ${ms(medianOf(phases.update))} + read+summarize ${ms(medianOf(phases.summary))}`,
      `${'beginBatch+recordLaunch ×2,000'.padEnd(42)} ${ms(medianOf(buildTimes)).padStart(9)}  ${ratio(medianOf(buildTimes), baseMs)} baseline`,
    ];
    lines.push(...(await realPoll(root, env, launchedText, n)));
    return { title: `poll experiment: ${n.toLocaleString('en')} conditions`, lines };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * One real pollExperiment through SkyCli → bin/sky-sim, read-only (kill switch off, nothing is cancelled).
 * The timed poll is a steady-state one (the one that repeats every poll interval). The poll before it folds
 * in the launch and diagnoses the failed jobs; by default it gets no logs (diagnosis falls back to SkyPilot's
 * failure reason), because one `sky jobs logs` child per failed job takes 15-25 s here. With
 * SKYLOOP_BENCH_FULL=1 that first poll is real too, and timed.
 */
async function realPoll(root, env, launchedText, n) {
  const outputsDir = join(root, 'real');
  const store = new ExperimentStore(outputsDir, EXPERIMENT);
  await store.create(JSON.parse(launchedText), []);
  const sky = new SkyCli({ bin: SKY_SIM, env, retries: 0, onWarning: () => {} });
  const ctx = (port) => defaultContext({ sky: port, outputsDir, now: () => new Date(SIM_NOW * 1000) });
  const timed = async (port) => {
    const t0 = performance.now();
    const r = await pollExperiment(EXPERIMENT, ctx(port), { killSwitch: false });
    return { ms: performance.now() - t0, r };
  };
  const lines = [];
  if (process.env.SKYLOOP_BENCH_FULL === '1') {
    const first = await timed(sky);
    const failed = Object.entries(first.r.summary.counts).filter(([s]) => s.startsWith('FAILED')).reduce((s, [, c]) => s + c, 0);
    lines.push(`${'real pollExperiment via sky-sim, first'.padEnd(42)} ${ms(first.ms).padStart(9)}  (${first.r.changes.length}/${n} changes, ${failed} \`sky jobs logs\` for diagnosis)`);
  } else {
    const noLogs = { queue: () => sky.queue(), logs: () => Promise.reject(new Error('logs skipped by the benchmark')), cancel: (ids) => sky.cancel(ids), launch: () => Promise.reject(new Error('no launch in a poll')) };
    // A poll diagnoses at most 8 new failures; prime until all of them are done.
    for (let i = 0; i < 20; i++) await timed(noLogs);
  }
  const steady = await timed(sky);
  lines.push(`${'real pollExperiment via sky-sim, steady'.padEnd(42)} ${ms(steady.ms).padStart(9)}  (${steady.r.changes.length} changes; child process included)`);
  return lines;
}

if (isMain(import.meta.url)) {
  const { title, lines } = await run();
  console.log(`${title}\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
