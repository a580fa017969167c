import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueTable, SimHome, TASK_YAML } from './helpers.js';

let home: SimHome;
let task: string;
beforeEach(() => {
  home = new SimHome();
  task = home.file('task.yaml', TASK_YAML);
});
afterEach(() => home.cleanup());

async function statusOf(id: number): Promise<string> {
  const r = await home.run(['jobs', 'queue', '-o', 'json']);
  const recs = JSON.parse(r.stdout) as { job_id: number; status: string }[];
  return recs.find((x) => x.job_id === id)!.status;
}

describe('lifecycle with a frozen clock', () => {
  it('PENDING -> STARTING -> RUNNING -> SUCCEEDED as time is advanced', async () => {
    const scen = home.file('s.yaml', 'rules:\n  - outcome: succeed\n    duration: 1h\n    startup: {pending: 30s, starting: 2m}\n');
    const env = { SKYLOOP_SIM_SCENARIO: scen };
    const l = await home.run(['jobs', 'launch', '-d', '-y', task], { env });
    expect(l.exitCode).toBe(0);
    expect(l.stdout).toContain("YAML to run: ");
    expect(l.stdout).toContain("Launching managed job 'train' from jobs controller...");
    expect(l.stdout).toContain('⚙︎ Job submitted, ID: 1');
    expect(l.stdout).toMatch(/\n📋 Useful Commands\nManaged Job ID: 1\n├── To cancel the job:\t\tsky jobs cancel 1\n/);
    expect(await statusOf(1)).toBe('PENDING');
    await home.run(['sim', 'advance', '31']);
    expect(await statusOf(1)).toBe('STARTING');
    await home.run(['sim', 'advance', '120']);
    expect(await statusOf(1)).toBe('RUNNING');
    const q = queueTable((await home.run(['jobs', 'queue'])).stdout);
    expect(q.rows[0]).toMatchObject({ ID: '1', NAME: 'train', REQUESTED: '1x[H100:8][Spot]', STATUS: 'RUNNING', 'JOB DURATION': '1s' });
    const running = await home.run(['jobs', 'logs', '--no-follow', '1']);
    expect(running.exitCode).toBe(0);
    expect(running.stdout).toContain('(setup pid=');
    await home.run(['sim', 'advance', '1h']);
    expect(await statusOf(1)).toBe('SUCCEEDED');
    const logs = await home.run(['jobs', 'logs', '--no-follow', '1']);
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toMatch(/\(train, pid=\d+\) Hello, SkyPilot!/);
    expect(logs.stdout.trimEnd().split('\n').at(-1)).toBe('✓ Job finished (status: SUCCEEDED).');
    const q2 = queueTable((await home.run(['jobs', 'queue'])).stdout);
    expect(q2.rows[0]).toMatchObject({ STATUS: 'SUCCEEDED', 'JOB DURATION': '1h', 'TOT. DURATION': '1h 2m 30s' });
  });

  it('a following launch streams the failure log and exits 100', async () => {
    const scen = home.file('s.yaml', 'rules:\n  - match: {env: {LR: "0.001"}}\n    outcome: fail\n    at: 5m\n    category: TEST_CUDA_OOM\n    log_lines: 3\n');
    // The clock stays frozen while the launch follows the job; the test moves it once the job is submitted, so what
    // the follow prints does not depend on how fast this machine is.
    const launch = home.start(['jobs', 'launch', '-y', task], { env: { SKYLOOP_SIM_SCENARIO: scen } });
    let submitted = '';
    launch.stdout!.on('data', (d: Buffer) => (submitted += d.toString()));
    await expect.poll(() => submitted, { timeout: 600_000 }).toMatch(/Job submitted, ID: 1/);
    await home.run(['sim', 'advance', '1h']);
    const done = await launch;
    const r = { stdout: String(done.stdout), exitCode: done.exitCode };
    expect(r.exitCode).toBe(100);
    expect(r.stdout).toMatch(/\(train, pid=\d+\) torch\.OutOfMemoryError: CUDA out of memory\./);
    expect(r.stdout).toContain('ERROR: Job 1 failed with return code list: [1] \n');
    expect(r.stdout).toContain('✓ Job finished (status: FAILED).\n✓ Managed job finished: 1 (status: FAILED).\n\n📋 Useful Commands\nManaged Job ID: 1\n');
    const ctl = await home.run(['jobs', 'logs', '--controller', '1']);
    expect(ctl.stdout).toContain('The user job failed (JobStatus.FAILED). Please check the logs below.');
    expect(ctl.stdout).toContain('Task 0 failed and will not be retried');
    expect(ctl.exitCode).toBe(100);
  });

  it('preemptions: RECOVERING, #RECOVERIES, and job duration counting only running time', async () => {
    const scen = home.file(
      's.yaml',
      'rules:\n  - outcome: preempt\n    times: 2\n    every: 10m\n    recovery: 5m\n    then: succeed\n    duration: 30m\n    startup: {pending: 0s, starting: 60s}\n',
    );
    const env = { SKYLOOP_SIM_SCENARIO: scen };
    await home.run(['jobs', 'launch', '-d', '-y', task], { env });
    await home.run(['sim', 'advance', `${60 + 600 + 60}`]);
    const r = await home.run(['jobs', 'queue', '-o', 'json']);
    const [rec] = JSON.parse(r.stdout) as Record<string, unknown>[];
    // SkyPilot counts a recovery when it succeeds (set_recovered), not when it starts.
    expect(rec).toMatchObject({ status: 'RECOVERING', recovery_count: 0, job_duration: 600 });
    await home.run(['sim', 'advance', `${240 + 600 + 300 + 1800}`]);
    const q = queueTable((await home.run(['jobs', 'queue'])).stdout);
    expect(q.rows[0]).toMatchObject({ STATUS: 'SUCCEEDED', '#RECOVERIES': '2', 'JOB DURATION': '50m', 'TOT. DURATION': '1h 1m' });
    const ctl = await home.run(['jobs', 'logs', '--controller', '--no-follow', '1']);
    expect(ctl.stdout.match(/Cluster is preempted or failed \(status: INIT\)\. Recovering\.\.\./g)).toHaveLength(2);
  });

  it('stuck jobs alternate STARTING/PENDING with backoff details', async () => {
    const scen = home.file('s.yaml', 'rules:\n  - outcome: stuck\n    startup: {pending: 10s, starting: 1m}\n');
    await home.run(['jobs', 'launch', '-d', '-y', task], { env: { SKYLOOP_SIM_SCENARIO: scen } });
    // STARTING from t=10s for 120s, then PENDING (backoff) for 60s, repeated.
    await home.run(['sim', 'advance', '140']);
    const [a] = JSON.parse((await home.run(['jobs', 'queue', '-v', '-o', 'json'])).stdout) as Record<string, unknown>[];
    expect(a).toMatchObject({ status: 'PENDING', details: 'In backoff, waiting for resources', schedule_state: 'ALIVE_BACKOFF' });
    await home.run(['sim', 'advance', '60']);
    const [b] = JSON.parse((await home.run(['jobs', 'queue', '-v', '-o', 'json'])).stdout) as Record<string, unknown>[];
    expect(b).toMatchObject({ status: 'STARTING', details: null });
  });

  it('ids increase from 1; logs of an unknown job: "not found" from 0.11 on, a wait that never ends before', async () => {
    for (let i = 1; i <= 2; i++) {
      const r = await home.run(['jobs', 'launch', '-d', '-y', '-n', `j${i}`, task]);
      expect(r.stdout).toContain(`Managed Job ID: ${i}\n`);
    }
    const nf = await home.run(['jobs', 'logs', '--no-follow', '5']);
    expect(nf.exitCode).toBe(0);
    expect(nf.stdout).toBe('Job 5 not found.\n');
    const old = await home.run(['jobs', 'logs', '--no-follow', '5'], { env: { SKYLOOP_SIM_EMULATE: '0.10.5' }, timeout: 2_000 });
    expect(old.exitCode).toBe(-1); // still waiting when stopped
    expect(old.stdout).toBe('');
  });

  it('streams a 200k-line log with bounded memory', async () => {
    const scen = home.file('s.yaml', 'rules:\n  - outcome: succeed\n    duration: 2h\n    log_lines: 200000\n');
    await home.run(['jobs', 'launch', '-d', '-y', task], { env: { SKYLOOP_SIM_SCENARIO: scen } });
    await home.run(['sim', 'advance', '3h']);
    const r = await home.run(['jobs', 'logs', '--no-follow', '1']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => / step \d+\/\d+ /.test(l));
    expect(lines).toHaveLength(200000);
  });

  it('without -y the launch prompts; EOF on stdin aborts like click', async () => {
    const r = await home.run(['jobs', 'launch', task]);
    expect(r.stdout).toContain("Managed job 'train' will be launched on (estimated):\nConsidered resources (1 node):\n---");
    expect(r.stdout).toMatch(/ CHOSEN {3}\n/);
    expect(r.stdout.endsWith("Launching a managed job 'train'. Proceed? [Y/n]: ")).toBe(true);
    expect(r.stderr).toBe('Aborted!\n');
    expect(r.exitCode).toBe(1);
    const yes = await home.run(['jobs', 'launch', '-d', task], { input: 'y\n' });
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toContain('Managed Job ID: 1');
  });

  it('rejects invalid names and missing YAML files as SkyPilot does', async () => {
    const bad = await home.run(['jobs', 'launch', '-y', '-n', '1bad', task]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe(
      'sky.exceptions.InvalidClusterNameError: Cluster name "1bad" is invalid; ensure it is fully matched by regex (e.g., only contains letters, numbers and dash): [a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?\n',
    );
    const missing = await home.run(['jobs', 'launch', '-y', 'nope.yaml']);
    expect(missing.stdout).toBe(
      "'nope.yaml' looks like a yaml path but does not exist. Please check if the path is correct.\nIt will be treated as a command to be run remotely. Continue? [y/N]: ",
    );
    expect(missing.stderr).toBe('Aborted!\n');
    expect(missing.exitCode).toBe(1);
    const opt = await home.run(['jobs', 'launch', '--frobnicate', task]);
    expect(opt.exitCode).toBe(2);
    expect(opt.stderr).toBe(
      "Usage: sky jobs launch [OPTIONS] ENTRYPOINT...\nTry 'sky jobs launch -h' for help.\n\nError: No such option: --frobnicate\n",
    );
  });
});
