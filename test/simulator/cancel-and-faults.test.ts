import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimHome, TASK_YAML } from './helpers.js';

let home: SimHome;
let task: string;
beforeEach(() => {
  home = new SimHome();
  task = home.file('task.yaml', TASK_YAML);
});
afterEach(() => home.cleanup());

async function statuses(): Promise<Record<number, string>> {
  const recs = JSON.parse((await home.run(['jobs', 'queue', '-a', '-o', 'json'])).stdout) as { job_id: number; status: string }[];
  return Object.fromEntries(recs.map((r) => [r.job_id, r.status]));
}

describe('sky jobs cancel', () => {
  it('prints SkyPilot messages and goes CANCELLING -> CANCELLED', async () => {
    const scen = home.file('s.yaml', 'rules:\n  - match: {name: "done"}\n    outcome: succeed\n    duration: 1m\n    startup: 30s\n  - outcome: succeed\n    duration: 5h\n');
    const env = { SKYLOOP_SIM_SCENARIO: scen };
    for (const n of ['done', 'a', 'b', 'c']) await home.run(['jobs', 'launch', '-d', '-y', '-n', n, task], { env });
    await home.run(['sim', 'advance', '10m']);
    const one = await home.run(['jobs', 'cancel', '-y', '2']);
    expect(one.stdout).toBe('Job with ID 2 is scheduled to be cancelled.\n');
    expect((await statuses())[2]).toBe('CANCELLING');
    const many = await home.run(['jobs', 'cancel', '-y', '7', '1', '3', '4']);
    expect(many.stdout).toBe(
      'Job 1 is already in terminal state SUCCEEDED. Skipped.\nJob 7 not found. Skipped.\nJobs with IDs 3, 4 are scheduled to be cancelled.\n',
    );
    await home.run(['sim', 'advance', '30']);
    expect(await statuses()).toEqual({ 1: 'SUCCEEDED', 2: 'CANCELLED', 3: 'CANCELLED', 4: 'CANCELLED' });
    expect((await home.run(['jobs', 'cancel', '-y', '-a'])).stdout).toBe('No job to cancel.\n');
    // From 0.10 on `--no-follow` exits 0 whatever the status (only the text tells); 0.9.3 returns the JobExitCode.
    const logs = await home.run(['jobs', 'logs', '--no-follow', '2']);
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout.trimEnd().split('\n').at(-1)).toBe('✓ Job finished (status: CANCELLED).');
    const old = await home.run(['jobs', 'logs', '--no-follow', '2'], { env: { SKYLOOP_SIM_EMULATE: '0.9.3' } });
    expect(old.exitCode).toBe(103);
    expect(old.stdout).not.toContain('Job finished');
    const both = await home.run(['jobs', 'cancel', '-y', '-n', 'a', '2']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("Error: Can only specify one of JOB_IDS, --name, --pool, or --all/--all-users. Provided '--job-ids 2 --name a'.");
  });

  it('24 concurrent launches get 24 distinct ids and a consistent state', async () => {
    const launches = Array.from({ length: 24 }, (_, i) => home.run(['jobs', 'launch', '-d', '-y', '-n', `grid-${i}`, task]));
    const queues = Array.from({ length: 6 }, () => home.run(['jobs', 'queue', '-o', 'json']));
    const results = await Promise.all([...launches, ...queues]);
    const ids = results.slice(0, 24).map((r) => {
      expect(r.exitCode).toBe(0);
      return Number(/^Managed Job ID: (\d+)$/m.exec(r.stdout)![1]);
    });
    expect(new Set(ids).size).toBe(24);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    for (const q of results.slice(24)) {
      expect(q.exitCode).toBe(0);
      expect(Array.isArray(JSON.parse(q.stdout))).toBe(true);
    }
    const all = JSON.parse((await home.run(['jobs', 'queue', '-a', '-o', 'json'])).stdout) as { job_id: number; job_name: string }[];
    expect(all).toHaveLength(24);
    expect(new Set(all.map((r) => r.job_name)).size).toBe(24);
  });
});

describe('fault modes', () => {
  it('api-unreachable, garbage, truncated, hang, and :<command> scoping', async () => {
    await home.run(['jobs', 'launch', '-d', '-y', task]);
    const down = await home.run(['jobs', 'queue'], { env: { SKYLOOP_SIM_FAULT: 'api-unreachable' } });
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toBe(
      'sky.exceptions.ApiServerConnectionError: Could not connect to SkyPilot API server at http://127.0.0.1:46580. Please ensure that the server is running. Try: curl http://127.0.0.1:46580/api/health\n',
    );
    const scoped = await home.run(['jobs', 'queue'], { env: { SKYLOOP_SIM_FAULT: 'api-unreachable:launch' } });
    expect(scoped.exitCode).toBe(0);
    const junk = await home.run(['jobs', 'queue'], { env: { SKYLOOP_SIM_FAULT: 'garbage' } });
    expect(junk.exitCode).toBe(0);
    expect(junk.stdout).not.toContain('Managed jobs');
    const cut = await home.run(['jobs', 'queue', '-o', 'json'], { env: { SKYLOOP_SIM_FAULT: 'truncated:queue' } });
    expect(cut.exitCode).toBe(0);
    expect(cut.stdout.endsWith('\n')).toBe(false);
    expect(() => JSON.parse(cut.stdout)).toThrow();
    const t0 = Date.now();
    const hung = await home.run(['jobs', 'queue'], { env: { SKYLOOP_SIM_FAULT: 'hang' }, timeout: 800 });
    expect(hung.exitCode).not.toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(750);
  });
});

describe('sky-sim sim rules', () => {
  it('counts the jobs each scenario rule decided and warns about a rule that matched none', async () => {
    // Values are text: a rule written 0.0003 never matches a job launched with LR=3e-4.
    const scen = home.file('r.yaml', 'rules:\n  - match: {env: {LR: "0.0003"}}\n    outcome: fail\n  - match: {env: {LR: "3e-4"}}\n    outcome: succeed\n');
    const env = { SKYLOOP_SIM_SCENARIO: scen };
    await home.run(['jobs', 'launch', '-d', '-y', '-n', 'lr', '--env', 'LR=3e-4', task], { env });
    const r = await home.run(['sim', 'rules'], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(
      'warning: rule 1 (match {"env":{"LR":"0.0003"}}) matched no job; match values are compared as text\n' +
        'rule 2 (match {"env":{"LR":"3e-4"}}): 1 job(s)\n',
    );
  });
});
