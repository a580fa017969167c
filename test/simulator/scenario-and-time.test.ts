import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readableTimeDuration } from '../../mcp-server/src/simulator/time-format.js';
import { FIXTURES, SimHome } from './helpers.js';

let home: SimHome;
beforeEach(() => {
  home = new SimHome();
});
afterEach(() => home.cleanup());

describe('scenario file', () => {
  it('a validation error names the file and the line', async () => {
    const scen = home.file('bad.yaml', 'rules:\n  - match: {name: "x-*"}\n    outcome: succeed\n  - outcome: explode\n    at: 5m\n');
    const r = await home.run(['jobs', 'launch', '-d', '-y', '-n', 'x', 'echo hi'], { env: { SKYLOOP_SIM_SCENARIO: scen } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^sky-sim: ${scen.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+: rules\\.1\\.outcome: `));
    const dur = home.file('dur.yaml', 'rules:\n  - outcome: succeed\n    duration: soon\n');
    const d = await home.run(['jobs', 'launch', '-d', '-y', 'echo hi'], { env: { SKYLOOP_SIM_SCENARIO: dur } });
    expect(d.stderr).toContain(`${dur}:3:15: rules.0.duration: expected a duration`);
  });

  it('matches the docker image ref, so rebuilding with a fixed digest changes the outcome', async () => {
    const scen = home.file(
      's.yaml',
      'rules:\n  - match: {image: "*@sha256:f1xed*"}\n    outcome: succeed\n    duration: 10m\n  - match: {name: "train"}\n    outcome: fail\n    at: 5m\n    category: TEST_CUDA_OOM\n',
    );
    const env = { SKYLOOP_SIM_SCENARIO: scen };
    const t = home.file('t.yaml', 'name: train\nresources:\n  image_id: docker:ghcr.io/acme/train:v1\nrun: python train.py\n');
    await home.run(['jobs', 'launch', '-d', '-y', t], { env });
    await home.run(['jobs', 'launch', '-d', '-y', '--image-id', 'docker:ghcr.io/acme/train@sha256:f1xed00', t], { env });
    await home.run(['sim', 'advance', '1h']);
    const recs = JSON.parse((await home.run(['jobs', 'queue', '-o', 'json'])).stdout) as { job_id: number; status: string }[];
    expect(Object.fromEntries(recs.map((r) => [r.job_id, r.status]))).toEqual({ 1: 'FAILED', 2: 'SUCCEEDED' });
  });

  it('prints the tracking URL the job logs', async () => {
    const scen = home.file('s.yaml', 'rules:\n  - outcome: succeed\n    tracking_url: "http://mlflow:5000/#/experiments/3/runs/run{job_id}"\n');
    await home.run(['jobs', 'launch', '-d', '-y', '-n', 'exp', 'echo hi'], { env: { SKYLOOP_SIM_SCENARIO: scen } });
    await home.run(['sim', 'advance', '5m']);
    const r = await home.run(['jobs', 'logs', '--no-follow', '1']);
    expect(r.stdout).toMatch(/\(exp, pid=\d+\) 🏃 View run exp-1 at: http:\/\/mlflow:5000\/#\/experiments\/3\/runs\/run1\n/);
  });
});

describe('readable_time_duration (pendulum rules)', () => {
  it("matches SkyPilot's unit-test truth table", () => {
    const NOW = 1758240750.0;
    const cases: [number, string, string][] = [
      [10, 'a few secs before', '10s'],
      [60, '1 min before', '1m'],
      [121, '2 mins before', '2m 1s'],
      [3600, '1 hr before', '1h'],
      [86400, '1 day before', '1d'],
      [3600 * 25 + 51, '1 day before', '1d 1h 51s'],
      [86400 * 7, '1 week before', '1w'],
      [86400 * 30, '1 month before', '1mo'],
      [86400 * 365, '1 year before', '1 year'],
      [86400 * 730, '2 years before', '2 years'],
      [0.5, '< 1 sec', '< 1s'],
    ];
    for (const [d, rel, abs] of cases) {
      expect(readableTimeDuration(NOW, NOW + d, false, 0)).toBe(rel);
      expect(readableTimeDuration(NOW, NOW + d, true, 0)).toBe(abs);
    }
    expect(readableTimeDuration(NOW - 50, null, false, NOW)).toBe('50 secs ago');
    expect(readableTimeDuration(NOW - 50, null, true, NOW)).toBe('50s');
    expect(readableTimeDuration(null, null, false, NOW)).toBe('-');
    expect(readableTimeDuration(-1, null, true, NOW)).toBe('-');
    expect(readableTimeDuration(0, 0, true, NOW)).toBe('-');
  });

  it('agrees with pendulum 3.2 on 420 generated cases (calendar months, leap years)', () => {
    const cases = JSON.parse(readFileSync(join(FIXTURES, 'pendulum-cases.json'), 'utf8')) as {
      start: number;
      end: number;
      relative: string;
      absolute: string;
    }[];
    for (const c of cases) {
      expect([readableTimeDuration(c.start, c.end, false, 0), c]).toEqual([c.relative, c]);
      expect([readableTimeDuration(c.start, c.end, true, 0), c]).toEqual([c.absolute, c]);
    }
  });
});
