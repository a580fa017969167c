// The unattended night, through the real entry points: `skyloop factorial launch`, a detached supervisor,
// `supervise stop`, a second supervisor finishing the night, notifications on a real HTTP server.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { nightWorld, runNight, startReceiver } from '../../bench/lib/night-world.js';

describe('a night alone with 108 conditions', () => {
  const receiver = startReceiver();
  afterAll(async () => (await receiver).close());

  it('ends with every condition accounted for, each acted on once, and every notification received once', { timeout: 30 * 60_000 }, async () => {
    const server = await receiver;
    const w = nightWorld(server.url);
    const run = await runNight(w);

    // One supervisor per experiment; stopped cleanly; the one that finished says how it ended.
    expect(run.second.exitCode).toBe(1);
    expect(run.second.stderr).toMatch(/already has a supervisor \(pid \d+/);
    expect(run.stop.stdout).toMatch(/supervisor \(pid \d+\) stopped/);
    expect(run.final.exitCode).toBe(1); // documented: finished, not every condition succeeded
    expect(readFileSync(`${w.outputs}/factorial_supervisor_night.log`, 'utf8')).toMatch(/^night: batch 0, 108 conditions/m);

    const m = w.manifest();
    const events = w.events();
    const by = (s: string) => m.jobs.filter((j) => j.status === s).map((j) => j.condition).sort();
    expect(m.jobs).toHaveLength(108);
    expect(by('SUCCEEDED')).toHaveLength(99);
    expect(by('FAILED')).toEqual(['d/z/fold-0', 'd/z/fold-1', 'd/z/fold-2', 'd/z/fold-3', 'd/z/fold-4', 'd/z/fold-5']);
    expect(by('CANCELLED')).toEqual(['d/z/fold-6', 'd/z/fold-7', 'd/z/fold-8']);
    expect(m.jobs.filter((j) => j.failure_category === 'UNKNOWN')).toEqual([]);

    // No condition launched twice: one job per condition and batch, every job id distinct.
    const launched = events.filter((e) => e.type === 'launched');
    expect(new Set(launched.map((e) => `${e.condition}#${e.batch}`)).size).toBe(launched.length);
    expect(new Set(m.jobs.flatMap((j) => j.attempts.map((a) => a.job_id))).size).toBe(112);

    // The outage: recorded poll by poll, survived; the kill switch fired after it, on what it missed.
    const outage = events.filter((e) => e.type === 'sky_unavailable');
    expect(outage.length).toBe(2);
    const recovered = events.findIndex((e) => e.type === 'sky_recovered');
    const fired = events.filter((e) => e.type === 'kill_switch' && e.fired);
    expect(fired).toHaveLength(1);
    expect(events.indexOf(fired[0]!)).toBeGreaterThan(recovered);
    expect(m.kill_switch[0]).toMatchObject({ common_levels: { model: 'd', loss: 'z' } });
    expect(m.kill_switch[0]?.cancelled.sort()).toEqual(['d/z/fold-6', 'd/z/fold-7', 'd/z/fold-8']);
    // The hung log read: one failure diagnosed a poll late, none left unexplained.
    expect(events.filter((e) => e.type === 'diagnosis_deferred').length).toBeGreaterThanOrEqual(1);

    // Stuck: warned and cancelled once each, relaunched on the fallback resources, succeeded there.
    for (const c of ['a/x/fold-0', 'a/x/fold-1']) {
      const j = m.jobs.find((x) => x.condition === c)!;
      expect(events.filter((e) => e.type === 'stuck_warning' && e.condition === c)).toHaveLength(1);
      expect(events.filter((e) => e.type === 'stuck_cancelled' && e.condition === c)).toEqual([expect.objectContaining({ category: 'GPU_SOLD_OUT' })]);
      expect(j.attempts.map((a) => a.resources)).toEqual([null, { infra: 'runpod', gpus: 'A100-80GB:1' }]);
      expect(j.status).toBe('SUCCEEDED');
    }
    // (The scenario keeps a/x/fold-0..1 stuck wherever GCP places them: succeeding proves they ran elsewhere.)

    // Autopilot: the transient and stuck ones relaunched once, through relaunch_failed's rules; the OOM waits.
    const autopilot = events.filter((e) => e.type === 'autopilot');
    expect(autopilot.map((e) => e.action)).toEqual(['relaunch', 'wait']);
    expect((autopilot[0]?.conditions as string[]).sort()).toEqual(['a/x/fold-0', 'a/x/fold-1', 'b/y/fold-0', 'b/y/fold-1']);
    const relaunch = events.filter((e) => e.type === 'relaunch');
    expect(relaunch).toHaveLength(1);
    expect(relaunch[0]?.rules).toEqual(expect.arrayContaining(['decided by the supervisor autopilot', expect.stringMatching(/^every job of the current batch is terminal/)]));

    // Budget: warned once.
    expect(events.filter((e) => e.type === 'budget')).toEqual([expect.objectContaining({ level: 'warning', budget_usd: 260 })]);

    // Every notification received once, on each target that wants it.
    const json = server.received.filter((r) => r.path === '/json').map((r) => r.body as { event: string; details: unknown; counts: unknown });
    const keys = json.map((b) => JSON.stringify(b.details));
    expect(new Set(keys).size).toBe(keys.length);
    const count = (t: string) => json.filter((b) => b.event === t).length;
    expect({
      kill_switch: count('kill_switch'), stuck_warning: count('stuck_warning'), stuck_cancelled: count('stuck_cancelled'),
      sky_unavailable: count('sky_unavailable'), sky_recovered: count('sky_recovered'), budget: count('budget'),
      autopilot: count('autopilot'), batch_terminal: count('batch_terminal'), experiment_finished: count('experiment_finished'),
    }).toEqual({ kill_switch: 1, stuck_warning: 2, stuck_cancelled: 2, sky_unavailable: 1, sky_recovered: 1, budget: 1, autopilot: 2, batch_terminal: 2, experiment_finished: 1 });
    expect(json.every((b) => b.counts !== null)).toBe(true);
    const slack = server.received.filter((r) => r.path === '/slack').map((r) => r.body as { text: string });
    expect(slack).toHaveLength(json.length);
    expect(slack.some((b) => /kill switch fired \(OOM_CUDA/.test(b.text))).toBe(true);
    const byCommand = readFileSync(w.commandOut, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(byCommand.map((b) => b.event).sort()).toEqual(['experiment_finished', 'kill_switch']);

    // One `sky jobs queue` per poll (plus one for each launch's reconcile and the retries of failed polls).
    const polls = events.filter((e) => e.type === 'supervisor' && e.action === 'stopped').reduce((s, e) => s + Number(e.polls), 0);
    const queueCalls = w.skyCalls().filter((c) => c === 'queue').length;
    expect(queueCalls).toBeLessThanOrEqual(polls + 2 + 2 * outage.length);
    expect(polls).toBeGreaterThanOrEqual(45); // about four simulated hours at one poll per 5 minutes
  });
});
