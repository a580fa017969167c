// The kill switch cancels a job once. SkyPilot answers a cancel with "scheduled to be cancelled" and the
// job keeps its status until its controller acts on the signal (on 0.9.3 a PENDING job stays PENDING until
// its controller starts), so the next poll can still see it RUNNING: that is not a new reason to fire.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultContext } from '../../mcp-server/src/factorial/factorial-context.js';
import { launchFactorial } from '../../mcp-server/src/factorial/launch-factorial.js';
import { pollExperiment } from '../../mcp-server/src/factorial/poll-experiment.js';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';
import { SKY_SIM } from '../helpers/paths.js';

describe('kill switch', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('does not cancel again, nor fire again, while a cancelled job still shows its old status', { timeout: 300_000 }, async () => {
    const w = factorialWorld();
    // In-process: the experiment stays in this world (no entry in the user's experiment index).
    vi.stubEnv('SKYLOOP_OUTPUTS_DIR', `${w.dir}/outputs`);
    vi.stubEnv('SKYLOOP_HOME', `${w.dir}/home`);
    const sim = new SkyCli({ bin: SKY_SIM, env: w.env, retries: 0 });
    const cancels: number[][] = [];
    let deliver = false;
    // SkyPilot as seen through a pipe: a cancel is accepted at once, carried out later.
    const sky = {
      queue: () => sim.queue(),
      launch: sim.launch.bind(sim),
      logs: sim.logs.bind(sim),
      cancel: async (ids: number[]) => {
        cancels.push(ids);
        return deliver ? sim.cancel(ids) : { cancelled: ids, already_terminal: [], not_found: [] };
      },
    };
    const ctx = defaultContext({ sky, outputsDir: `${w.dir}/outputs`, registry: { resolveDigest: async () => ({ digest: 'sha256:0' }) } });
    const launched = await launchFactorial(w.config, { approve: true }, ctx);
    expect(launched.launched).toBe(24);
    // sam3+cbdice folds 0 and 1 fail 6 min into training; fold 2 started 3 min later and is cancelled.
    await w.advance(9 * 60);
    const first = await pollExperiment('seg', ctx);
    expect(first.kill_switch.filter((d) => d.fired).map((d) => d.cancel.map((c) => c.condition).sort())).toEqual([
      ['sam3/cbdice/calibration-false/fold-2', 'sam3/cbdice/calibration-true/fold-2'],
    ]);
    expect(cancels).toHaveLength(1);

    // The controller has not acted yet: the jobs are still RUNNING in the queue.
    const second = await pollExperiment('seg', ctx);
    expect(second.kill_switch).toEqual([]);
    expect(cancels).toHaveLength(1);
    expect(w.manifest().kill_switch).toHaveLength(1);
    expect(w.events().filter((e) => e.type === 'kill_switch')).toHaveLength(1);

    // Once SkyPilot carries it out the jobs end CANCELLED, still marked as the kill switch's.
    deliver = true;
    await sim.cancel(cancels[0]!);
    await w.advance(60);
    await pollExperiment('seg', ctx);
    const m = w.manifest();
    const victims = m.jobs.filter((j) => cancels[0]!.includes(j.job_id ?? -1));
    expect(victims.map((j) => [j.status, j.attempts.at(-1)?.cancelled_by_kill_switch])).toEqual([
      ['CANCELLED', true],
      ['CANCELLED', true],
    ]);
    expect(cancels).toHaveLength(1);
  });
});
