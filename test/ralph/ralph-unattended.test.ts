// ralph-loop left alone: a real `skyloop ralph run` process driving the simulator's frozen clock
// (SKYLOOP_SUPERVISOR_CLOCK=sky-sim), so every poll happens at the same simulated time on any machine.
// One job is a grid of one: stuck on SkyPilot's clock, rotated to an untried region, an API outage waited
// out, notifications on a real HTTP server.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../bench/lib/night-world.js';
import { ralphNightWorld } from '../../bench/lib/ralph-night.js';

const SLOW = { timeout: 600_000 };

describe('ralph-loop unattended (simulated night)', () => {
  const receiver = startReceiver();
  afterAll(async () => (await receiver).close());

  it('gives up a stuck job after 30 simulated minutes, rotates to an untried region, rides out an outage, and tells people once each', SLOW, async () => {
    const server = await receiver;
    const w = ralphNightWorld();
    writeFileSync(join(w.dir, 'notify.yaml'), `notify:\n  - {webhook: "${server.url}/ralph-json", format: json}\n  - {webhook: "${server.url}/ralph-slack", format: slack}\n`);
    // The default --stuck-after (1800 s) and --outage-window (1800 s): only SkyPilot's clock decides.
    const run = await w.ralph(['--notify-config', join(w.dir, 'notify.yaml')]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/SkyPilot is not answering since .*ApiServerConnectionError/);
    expect(run.stdout.match(/SkyPilot is not answering/g)).toHaveLength(1); // one line per outage, not per poll
    const report = await w.report();
    expect(report.outcome).toBe('succeeded');
    expect(report.attempts.map((a) => [a.region, a.category])).toEqual([
      [null, 'GPU_SOLD_OUT'],
      ['us-east-1', 'NCCL_ERROR'],
      ['us-east-1', null],
    ]);

    const events = w.events();
    const ended = events.filter((e) => e.type === 'attempt_ended');
    // Given up on SkyPilot's submitted time, after the default 30 minutes (of simulated time), diagnosed
    // from the controller log; the next attempt skips the region SkyPilot had been trying.
    expect(String((ended[0]?.diagnosis as { evidence: string }).evidence)).toMatch(/^still (PENDING|STARTING) after 3\d min: .*Failed to acquire resources in all zones in us-central1/);
    expect(ended[0]?.next_overrides).toMatchObject({ infra: 'aws/us-east-1' });
    expect(ended[1]?.fix_applied).toMatchObject({ kind: 'retry' });

    // The outage: recorded poll by poll, never an attempt or a retry category of its own.
    const down = events.filter((e) => e.type === 'sky_unavailable');
    expect(down.length).toBeGreaterThanOrEqual(2);
    expect(down.filter((e) => e.first)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'sky_recovered')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'attempt_started')).toHaveLength(3);
    // The failure that happened during the outage was seen after it.
    expect(events.findIndex((e) => e.type === 'sky_recovered')).toBeLessThan(events.indexOf(ended[1]!));

    // Notified once each: the outage, the recovery, both failed attempts, the end.
    const json = server.received.filter((r) => r.path === '/ralph-json').map((r) => r.body as { event: string; run: string; text: string });
    // (deliveries run side by side: the order they arrive in is not the order of the events)
    expect(json.map((b) => b.event).sort()).toEqual(['attempt_ended', 'attempt_ended', 'run_stopped', 'sky_recovered', 'sky_unavailable']);
    expect(json.every((b) => b.run === 'night')).toBe(true);
    expect(json.map((b) => b.text)).toContainEqual(expect.stringMatching(/attempt 1 .*ended .*GPU_SOLD_OUT; next attempt: no capacity .*: try aws\/us-east-1/));
    expect(server.received.filter((r) => r.path === '/ralph-slack')).toHaveLength(json.length);
    const ledger = readFileSync(join(w.outputs, 'ralph_notify_night.jsonl'), 'utf8').trim().split('\n');
    expect(ledger).toHaveLength(2 * json.length);

    // One `sky jobs queue` per poll: each pause between polls is one `sim advance`, and the polls that follow a
    // decision at once (two ended attempts, the end) do not pause; the success's log is looked up once; a
    // failed poll is retried twice more.
    const calls = w.skyCalls();
    const count = (k: string) => calls.filter((c) => c === k).length;
    expect(count('queue')).toBeLessThanOrEqual(count('sim') + 4 + 2 * down.length);
  });

  it('exits 75 when SkyPilot stays away past the outage window, and resumes the same attempt when run again', SLOW, async () => {
    const w = ralphNightWorld('defaults: {duration: 20m}\nfaults:\n  - {mode: api-unreachable, after: 5m}\n');
    const first = await w.ralph(['--outage-window', '1200']);
    expect(first.exitCode).toBe(75);
    expect(first.stdout).toMatch(/night: running — gave up waiting: attempt 1 is running/);
    const events = w.events();
    expect(events.filter((e) => e.type === 'gave_up')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/did not answer for more than 20 min/) })]);
    expect(events.filter((e) => e.type === 'run_stopped')).toEqual([]);

    // SkyPilot is back: the same run resumes where it was, its job is not launched again.
    writeFileSync(join(w.dir, 'scenario.yaml'), 'defaults: {duration: 20m}\n');
    const second = await w.ralph();
    expect(second.exitCode).toBe(0);
    const after = w.events();
    expect(after.filter((e) => e.type === 'attempt_started')).toHaveLength(1);
    expect(after.filter((e) => e.type === 'run_started')).toHaveLength(1);
    expect(after.filter((e) => e.type === 'sky_recovered')).toHaveLength(1);
    expect(after.at(-1)).toMatchObject({ type: 'run_stopped', outcome: 'succeeded' });
  });
});
