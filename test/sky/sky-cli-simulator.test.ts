// The adapter through its real code path: a child process running the simulator, per emulated version.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { SkyError } from '../../mcp-server/src/sky/sky-errors.js';
import { SKY_SIM, tempDir } from '../helpers/paths.js';
import { simWorld } from '../helpers/simulator.js';

const TASK = `name: train
resources:
  accelerators: H100:1
  image_id: docker:ghcr.io/example/train:v1
run: python train.py
`;

function setup(emulate: string, extra: Record<string, string> = {}) {
  const world = simWorld({ SKYLOOP_SIM_EMULATE: emulate, ...extra });
  writeFileSync(world.taskFile(), TASK);
  const warnings: string[] = [];
  const sky = new SkyCli({ bin: SKY_SIM, env: world.env, timeoutMs: 300_000, retries: 0, onWarning: (w) => warnings.push(w) });
  return { world, sky, warnings };
}

const caught = async (p: Promise<unknown>): Promise<SkyError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof SkyError) return e;
    throw e;
  }
  throw new Error('expected a SkyError');
};

describe.each([
  ['0.9.3', 'table'],
  ['0.10.6', 'table'],
  ['current', 'json'],
] as const)('SkyCli against sky-sim emulating %s', (emulate, source) => {
  it('launches, reads the queue as jobs progress, streams logs and cancels', async () => {
    const { world, sky } = setup(emulate);
    const a = await sky.launch(world.taskFile(), { name: 'exp-a-b0', env: { FOLD: '0' } });
    const b = await sky.launch(world.taskFile(), { name: 'exp-b-b0', env: { FOLD: '1' } });
    expect(b.job_id).toBe(a.job_id + 1);
    // --env values may be secrets of any form: the command as shown and stored never carries them.
    expect(a.command).toMatch(/jobs launch --yes --name exp-a-b0 --detach-run --env FOLD=<redacted> \/.*task.yaml$/);

    let q = await sky.queue();
    expect(q.source).toBe(source);
    expect(q.records.map((r) => [r.job_id, r.job_name, r.task_id])).toEqual([
      [b.job_id, 'exp-b-b0', 0],
      [a.job_id, 'exp-a-b0', 0],
    ]);
    expect(q.records.every((r) => ['PENDING', 'STARTING'].includes(r.status))).toBe(true);

    await world.advance(15 * 60);
    q = await sky.queue();
    expect(q.records.map((r) => r.status)).toEqual(['RUNNING', 'RUNNING']);
    expect(q.records[0]?.job_duration_s).toBeGreaterThan(0);

    const cancel = await sky.cancel([a.job_id, 9999]);
    expect(cancel.cancelled).toEqual([a.job_id]);
    expect(cancel.not_found).toEqual([9999]);

    await world.advance(24 * 3600);
    q = await sky.queue();
    const byName = Object.fromEntries(q.records.map((r) => [r.job_name, r]));
    expect(byName['exp-a-b0']?.status).toBe('CANCELLED');
    expect(byName['exp-b-b0']?.status).toBe('SUCCEEDED');
    expect(byName['exp-b-b0']?.ended_at).not.toBeNull();

    const lines: string[] = [];
    const logs = await sky.logs(b.job_id, { tail: 5, onLine: (l) => lines.push(l) });
    expect(logs.outcome).toBe('succeeded');
    expect(logs.tail).toHaveLength(5);
    expect(logs.line_count).toBe(lines.length);
    // `-n` names the task too, and the log prefix carries the task name.
    expect(lines.some((l) => /^\(exp-b-b0, pid=\d+\) /.test(l))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/\x1b\[/);

    const again = await sky.cancel([b.job_id]);
    expect(again.already_terminal).toEqual([{ job_id: b.job_id, status: 'SUCCEEDED' }]);
    const missing = await caught(sky.logs(424242));
    expect(missing.kind).toBe('job_not_found');
    expect(missing.message).toMatch(/424242/);
  });
});

describe('SkyCli against a failing or misbehaving sky', () => {
  it('stops a hung sky at the time limit, naming the command', async () => {
    const world = simWorld({ SKYLOOP_SIM_FAULT: 'hang' });
    const slow = new SkyCli({ bin: SKY_SIM, env: world.env, timeoutMs: 1_000, retries: 0 });
    const started = Date.now();
    const e = await caught(slow.queue());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/`.*sky-sim jobs queue -a -v -o json` did not finish within 1 s/);
  });

  it('reports an unreachable API server with its SkyPilot exception, after retrying', async () => {
    const world = simWorld({ SKYLOOP_SIM_FAULT: 'api-unreachable' });
    const sky = new SkyCli({ bin: SKY_SIM, env: world.env, retries: 1, retryDelayMs: 10 });
    const e = await caught(sky.queue());
    expect(e.kind).toBe('command_failed');
    expect(e.details.exitCode).toBe(1);
    expect(e.details.exceptionClass).toMatch(/Error$/);
    expect(e.message).toMatch(/jobs queue .* failed with exit code 1: sky\.exceptions\.\w+: /);
  });

  it.each(['garbage', 'truncated'])('refuses %s output instead of guessing', async (fault) => {
    for (const emulate of ['0.10.6', 'current']) {
      const { world, sky } = setup(emulate);
      await sky.launch(world.taskFile(), { name: 'j1' });
      const broken = new SkyCli({ bin: SKY_SIM, env: { ...world.env, SKYLOOP_SIM_FAULT: `${fault}:queue` }, retries: 0 });
      const e = await caught(broken.queue());
      expect(e.kind).toBe('bad_output');
      expect(e.message).toMatch(/jobs queue/);
    }
  });

  it('says how to fix a missing sky', async () => {
    const e = await caught(new SkyCli({ bin: '/nonexistent/sky' }).queue());
    expect(e.kind).toBe('not_installed');
    expect(e.message).toMatch(/SKYLOOP_SKY_BIN/);
  });

  it('keeps a status it does not know, warns once, and treats the job as not finished', async () => {
    const dir = tempDir('fake-sky');
    const fake = join(dir, 'sky');
    writeFileSync(fake, `#!/bin/sh
[ "$3" = "-a" ] && [ "$5" = "-o" ] && { echo "Usage: sky jobs queue [OPTIONS]" >&2; echo "Error: No such option: -o" >&2; exit 2; }
printf 'ID  TASK  NAME  REQUESTED  SUBMITTED   TOT. DURATION  JOB DURATION  #RECOVERIES  STATUS      POOL  \\n'
printf '7   -     exp   1x[L4:1]   1 min ago   1m             30s           0            HIBERNATED  -     \\n'
`);
    chmodSync(fake, 0o755);
    const warnings: string[] = [];
    const sky = new SkyCli({ bin: fake, onWarning: (w) => warnings.push(w) });
    const first = await sky.queue();
    await sky.queue();
    expect(first.source).toBe('table');
    expect(first.records[0]?.status).toBe('HIBERNATED');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/HIBERNATED .* not finished/);
  });
});
