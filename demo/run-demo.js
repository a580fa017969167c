#!/usr/bin/env node
// `npm run demo`: the whole factorial story on the embedded SkyPilot simulator and its registry, in about a
// minute: launch 24 conditions → a planted out-of-memory failure fires the kill switch → every failure is
// grouped by root cause → a fix is committed → the image is rebuilt and its digest verified in the registry
// → only the failed conditions are relaunched, pinned by digest → all but one unrecoverable condition
// succeed → report and an issue draft.
// SKYLOOP_DEMO_DIR (default .demo/), SKYLOOP_SIM_SPEED (default 100) and SKYLOOP_DEMO_INTERVAL (seconds
// between polls, default 1) let the test suite run the same story faster.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = process.env.SKYLOOP_DEMO_DIR ?? join(repo, '.demo');
const interval = process.env.SKYLOOP_DEMO_INTERVAL ?? '1';
const skySim = join(repo, 'bin', 'sky-sim');
const skyloopBin = join(repo, 'bin', 'skyloop');
rmSync(work, { recursive: true, force: true });
const project = join(work, 'project');
mkdirSync(project, { recursive: true });

const env = {
  ...process.env,
  SKYLOOP_SKY_BIN: skySim,
  SKYLOOP_SIM_HOME: join(work, 'sky-sim'),
  SKYLOOP_SIM_SCENARIO: join(repo, 'demo', 'scenario.yaml'),
  SKYLOOP_SIM_SPEED: process.env.SKYLOOP_SIM_SPEED ?? '100',
  SKYLOOP_OUTPUTS_DIR: join(work, 'outputs'),
  GIT_AUTHOR_NAME: 'skyloop demo',
  GIT_AUTHOR_EMAIL: 'demo@skyloop.invalid',
  GIT_COMMITTER_NAME: 'skyloop demo',
  GIT_COMMITTER_EMAIL: 'demo@skyloop.invalid',
};
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s) => console.log(`\n${bold(`# ${s}`)}`);
const git = (...args) => execFileSync('git', args, { cwd: project, env, stdio: ['ignore', 'ignore', 'inherit'] });

function skyloop(title, args, { allowFailure = false } = {}) {
  console.log(`\n${bold(`$ skyloop ${args.join(' ')}`)}   # ${title}`);
  const r = spawnSync(skyloopBin, args, { env, stdio: 'inherit', cwd: project });
  if (r.status !== 0 && !allowFailure) {
    console.error(`demo: skyloop ${args[0]} ${args[1] ?? ''} exited ${r.status}`);
    process.exit(r.status ?? 1);
  }
  return r.status;
}

// The simulator's own OCI registry on a free loopback port.
const registry = spawn(skySim, ['sim', 'registry', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const host = await new Promise((resolve, reject) => {
  registry.stdout.on('data', (d) => {
    const m = /listening on http:\/\/(127\.0\.0\.1:\d+)/.exec(d.toString());
    if (m) resolve(m[1]);
  });
  registry.on('exit', () => reject(new Error('the simulator registry did not start')));
});
process.on('exit', () => registry.kill());
const image = `${host}/seg-train:v1`;

// A real MLflow tracking server for the simulated training code to log to: MLFLOW_TRACKING_URI when it is
// given, else one started here from the cached environment scripts/install-mlflow.sh makes, else none.
async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
async function trackingServer() {
  const given = process.env.MLFLOW_TRACKING_URI;
  if (given && /^https?:\/\//.test(given)) return { uri: given, experiment: `seg-losses-demo-${Date.now()}` };
  const venv = join(process.env.SKYLOOP_VENV_DIR ?? join(homedir(), '.cache', 'skyloop', 'venvs'), 'mlflow');
  if (!existsSync(join(venv, '.skyloop-ready'))) return null;
  const dir = join(work, 'mlflow');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const server = spawn(join(venv, 'bin', 'mlflow'), ['server', '--host', '127.0.0.1', '--port', String(port), '--workers', '1',
    '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`, '--default-artifact-root', join(dir, 'artifacts')],
  { stdio: ['ignore', 'ignore', 'ignore'], detached: true });
  // mlflow runs uvicorn as a child: stop the whole process group when the demo ends (unref: the server must
  // not keep the demo alive, or 'exit' never comes).
  server.unref();
  process.on('exit', () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } });
  const uri = `http://127.0.0.1:${port}`;
  console.log(`starting an MLflow tracking server at ${uri} (its database set-up takes a little while)…`);
  for (let i = 0; i < 1200; i++) {
    if (server.exitCode !== null) return null;
    try {
      if ((await fetch(`${uri}/health`)).ok) return { uri, experiment: 'seg-losses' };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}
const tracking = await trackingServer();

// A small experiment repository: the example config and task, a training script, git.
copyFileSync(join(repo, 'templates', 'train.sky.yaml'), join(project, 'train.sky.yaml'));
const config = readFileSync(join(repo, 'templates', 'experiment.example.yaml'), 'utf8')
  .replace('# image: docker:ghcr.io/example/seg-train:v1', `image: docker:${image}`)
  .replace('  MLFLOW_EXPERIMENT_NAME: seg-losses\n', tracking ? `  MLFLOW_EXPERIMENT_NAME: ${tracking.experiment}\n  MLFLOW_TRACKING_URI: ${tracking.uri}\n` : '  MLFLOW_EXPERIMENT_NAME: seg-losses\n')
  .replace('poll_interval_s: 60 ', `poll_interval_s: ${interval}`)
  // Launching 24 jobs takes a few real seconds on a busy laptop, i.e. minutes of simulated time: a wider
  // kill-switch window keeps the planted failures (which start minutes apart) within one window.
  .replace('window_s: 300 ', 'window_s: 600 ')
  .replace(/commands:\n[\s\S]*$/, [
    'commands:',
    `  test: ${JSON.stringify(`node -e "console.log('unit tests: 42 passed')"`)}`,
    `  build: ${JSON.stringify('echo "docker build -t seg-train:v1 ($(git rev-parse --short HEAD))"')}`,
    `  push: ${JSON.stringify(`${skySim} sim push ${image} --label git_commit=$(git rev-parse HEAD)`)}`,
    '',
  ].join('\n'));
writeFileSync(join(project, 'experiment.yaml'), config);
writeFileSync(join(project, 'train.py'), 'BATCH_SIZE = 16  # per GPU\n');
writeFileSync(join(project, '.gitignore'), 'outputs/\n');
git('init', '-q');
git('add', '-A');
git('commit', '-qm', 'seg-losses experiment');
execFileSync(skySim, ['sim', 'push', image, '--label', 'git_commit=initial'], { env, stdio: 'ignore' });

console.log(`skyloop demo: a 2x2x2x3 factorial grid on the embedded SkyPilot simulator (1 real second = ${env.SKYLOOP_SIM_SPEED} simulated), registry at ${host}`);
say('Batch 0: launch every condition and watch the grid');
skyloop('launch (cost above the $20 approval threshold, so --approve)', ['factorial', 'launch', 'experiment.yaml', '--approve']);
skyloop('watch until every job is terminal (kill switch armed)', ['factorial', 'watch', 'seg-losses', '--interval', interval], { allowFailure: true });
skyloop('F2: every failure grouped by root cause before anything is fixed', ['factorial', 'diagnose', 'seg-losses']);
skyloop('F3 holds the relaunch: nothing changed yet, and the OOM would fail again', ['factorial', 'relaunch', 'seg-losses'], { allowFailure: true });

say('Fix: halve the per-GPU batch size, commit, rebuild, verify the digest in the registry');
writeFileSync(join(project, 'train.py'), 'BATCH_SIZE = 8  # per GPU; 16 ran out of memory with sam3 + cbdice\n');
git('commit', '-qam', 'Halve the per-GPU batch size: sam3 + cbdice ran out of GPU memory');
skyloop('run the trusted test/build/push commands, then resolve the pushed tag in the registry', ['factorial', 'rebuild', 'seg-losses']);

say('Batch 1: relaunch only what failed, on the verified image pinned by digest');
skyloop('F1 F2 F3 F4 and the budget all agree', ['factorial', 'relaunch', 'seg-losses']);
skyloop('watch the relaunched conditions', ['factorial', 'watch', 'seg-losses', '--interval', interval], { allowFailure: true });
skyloop('the final grid', ['factorial', 'status', 'seg-losses', '--all']);
skyloop('what is still broken, by root cause', ['factorial', 'diagnose', 'seg-losses']);
skyloop('report, and an issue for what a relaunch cannot fix', ['factorial', 'report', 'seg-losses']);
console.log(tracking
  ? `\nThe simulated training runs logged to MLflow at ${tracking.uri} (experiment ${tracking.experiment}); the report links each condition to its run.`
  : '\nNo MLflow tracking server, so the report has no training results: run scripts/install-mlflow.sh once (a cached\n' +
    'virtual environment), then npm run demo again for results, links and pictures; or set MLFLOW_TRACKING_URI.');
console.log(`Pictures: ${join(work, 'outputs', 'factorial_report_seg-losses.html')} (open it in a browser).`);
console.log(`\nEverything is in ${join(work, 'outputs')}:`);
execFileSync('ls', ['-R', join(work, 'outputs')], { stdio: 'inherit' });
registry.kill();
