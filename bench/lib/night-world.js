// The unattended night (issue 12's "Done when"): a real `skyloop factorial watch` process supervising 108
// conditions on the simulator for about four simulated hours, with an outage, a hung log call, stuck jobs,
// a kill switch, transient failures and a budget warning, and its notifications sent to a real HTTP server
// on 127.0.0.1. The supervisor drives the simulator's frozen clock, so every poll happens at the same
// simulated time on any machine. Shared by test/supervisor/night.test.ts and bench/supervisor-night.js.
import { execa } from 'execa';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, SKY_SIM } from './sim-fixture.js';

const SKYLOOP = join(ROOT, 'bin', 'skyloop');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'night');

/** An HTTP server on 127.0.0.1 that records every POST body by path. */
export async function startReceiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url, body: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(r)) };
}

/** A night's environment: a simulator on its frozen clock (the supervisor follows it), every sky call logged. */
export function nightEnv(dir, outputs) {
  return {
    SKYLOOP_SIM_HOME: join(dir, 'sim'),
    SKYLOOP_SIM_SPEED: '0',
    SKYLOOP_SIM_SCENARIO: join(dir, 'scenario.yaml'),
    SKYLOOP_SIM_CALL_LOG: join(dir, 'sky-calls.log'),
    SKYLOOP_SKY_BIN: SKY_SIM,
    SKYLOOP_OUTPUTS_DIR: outputs,
    SKYLOOP_SUPERVISOR_CLOCK: 'sky-sim',
    SKYLOOP_SKY_RETRY_DELAY_MS: '10',
  };
}

export function nightWorld(receiverUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'skyloop-night-'));
  for (const f of ['task.yaml', 'experiment.yaml', 'scenario.yaml']) copyFileSync(join(FIXTURE, f), join(dir, f));
  const commandOut = join(dir, 'notified-by-command.jsonl');
  appendFileSync(join(dir, 'experiment.yaml'), `notify:
  - {webhook: "${receiverUrl}/json", format: json}
  - {webhook: "${receiverUrl}/slack", format: slack}
  - command: [${JSON.stringify(process.execPath)}, "-e", "require('fs').appendFileSync(process.argv[1], require('fs').readFileSync(0, 'utf8') + '\\\\n')", ${JSON.stringify(commandOut)}]
    events: [kill_switch, experiment_finished]
`);
  const outputs = join(dir, 'outputs');
  // The scenario's hung log read waits forever, so any limit stops it; a limit far above a normal read's time
  // keeps a slow read on a busy machine from being deferred too, which would delay the kill switch by a poll.
  const env = { ...nightEnv(dir, outputs), SKYLOOP_SKY_TIMEOUT_LOGS_MS: '45000' };
  const read = (f) => readFileSync(join(outputs, f), 'utf8');
  return {
    dir,
    env,
    outputs,
    config: join(dir, 'experiment.yaml'),
    commandOut,
    skyloop: (args, opts = {}) => execa(SKYLOOP, args, { env, reject: false, stdin: 'ignore', ...opts }),
    manifest: () => JSON.parse(read('factorial_manifest_night.json')),
    events: () => read('factorial_events_night.jsonl').trim().split('\n').map((l) => JSON.parse(l)),
    skyCalls: () => readFileSync(env.SKYLOOP_SIM_CALL_LOG, 'utf8').trim().split('\n'),
  };
}

/** Launch, run the supervisor detached until autopilot relaunched, stop it, and finish in the foreground. */
export async function runNight(w, { onPhase = () => {} } = {}) {
  const launch = await w.skyloop(['factorial', 'launch', w.config, '--approve', '--json']);
  if (launch.exitCode !== 0) throw new Error(`launch failed: ${launch.stderr}`);
  onPhase('launched');
  const detached = await w.skyloop(['factorial', 'watch', 'night', '--detach']);
  if (detached.exitCode !== 0) throw new Error(`watch --detach failed: ${detached.stderr}`);
  const second = await w.skyloop(['factorial', 'watch', 'night']);
  onPhase('detached');
  // Stop the detached supervisor once autopilot relaunched (batch 1 exists), then take over in the foreground.
  const deadline = Date.now() + 20 * 60_000;
  while (!(w.manifest().batches.length > 1 && !w.manifest().jobs.some((j) => j.attempts.at(-1)?.launch_state === 'intent'))) {
    if (Date.now() > deadline) throw new Error('the detached supervisor never relaunched');
    await sleep(200);
  }
  const stop = await w.skyloop(['factorial', 'supervise', 'stop', 'night']);
  onPhase('stopped');
  const final = await w.skyloop(['factorial', 'watch', 'night'], { timeout: 20 * 60_000 });
  onPhase('finished');
  return { launch, detached, second, stop, final };
}
