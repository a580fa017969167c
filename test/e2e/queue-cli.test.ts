// `skyloop queue` as a user runs it: SKYLOOP_SKY_BIN=./bin/sky-sim ./bin/skyloop queue --json
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SKY_SIM, SKYLOOP } from '../helpers/paths.js';
import { simWorld } from '../helpers/simulator.js';

describe('skyloop queue (CLI, simulator)', () => {
  it.each(['0.9.3', '0.10.6', 'current'])('prints the normalised records of simulated launches (emulating %s)', async (emulate) => {
    const world = simWorld({ SKYLOOP_SIM_EMULATE: emulate });
    writeFileSync(world.taskFile(), 'name: t\nresources:\n  accelerators: L4:1\n  use_spot: true\nrun: echo hi\n');
    for (const name of ['alpha', 'beta', 'gamma']) {
      const r = await world.sky(['jobs', 'launch', '-y', '-d', '-n', name, world.taskFile()]);
      expect(r.exitCode).toBe(0);
    }
    await world.advance(3600 * 5);
    await world.sky(['jobs', 'launch', '-y', '-d', '-n', 'delta', world.taskFile()]);
    const env = { ...world.env, SKYLOOP_SKY_BIN: SKY_SIM };

    const json = await execa(SKYLOOP, ['queue', '--json'], { env });
    const out = JSON.parse(json.stdout) as { schema_version: number; source: string; jobs: Record<string, unknown>[] };
    expect(out.schema_version).toBe(1);
    expect(out.source).toBe(emulate === 'current' ? 'json' : 'table');
    expect(out.jobs.map((j) => [j.job_id, j.job_name, j.status, j.resources])).toEqual([
      [4, 'delta', 'PENDING', '1x[L4:1][Spot]'],
      [3, 'gamma', 'SUCCEEDED', '1x[L4:1][Spot]'],
      [2, 'beta', 'SUCCEEDED', '1x[L4:1][Spot]'],
      [1, 'alpha', 'SUCCEEDED', '1x[L4:1][Spot]'],
    ]);
    expect(out.jobs.every((j) => j.recovery_count === 0 && j.task_id === 0)).toBe(true);

    const human = await execa(SKYLOOP, ['queue'], { env });
    expect(human.stdout.split('\n')[0]).toMatch(/^ID {2}TASK {2}NAME {3}STATUS/);
    expect(human.stdout).toMatch(/^4 {3}- {5}delta {2}PENDING/m);
  });

  it('fails within the time limit on a hung sky, naming the command', async () => {
    const world = simWorld({ SKYLOOP_SIM_FAULT: 'hang' });
    const started = Date.now();
    const r = await execa(SKYLOOP, ['queue', '--json'], {
      env: { ...world.env, SKYLOOP_SKY_BIN: SKY_SIM, SKYLOOP_SKY_TIMEOUT_MS: '1500' }, reject: false,
    });
    expect(Date.now() - started).toBeLessThan(60_000); // stopped at its limit, not hung (however busy the machine)
    expect(r.exitCode).toBe(1);
    // --json: the error is JSON on stdout too, and the message on stderr.
    expect(JSON.parse(r.stdout)).toMatchObject({ schema_version: 1, error: { kind: 'error', reason: expect.stringMatching(/did not finish within 2 s/) } });
    expect(r.stderr).toMatch(/^skyloop: `.*sky-sim jobs queue -a -v -o json` did not finish within 2 s/);
  });

  it('reports a failing sky (API server down) with its exit code and SkyPilot error line', async () => {
    const world = simWorld({ SKYLOOP_SIM_FAULT: 'api-unreachable' });
    const r = await execa(SKYLOOP, ['queue'], { env: { ...world.env, SKYLOOP_SKY_BIN: SKY_SIM }, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/failed with exit code 1: sky\.exceptions\.\w+Error: /);
  });
});
