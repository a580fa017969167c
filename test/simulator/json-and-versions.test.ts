import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimHome, TASK_YAML } from './helpers.js';

let home: SimHome;
let task: string;
beforeAll(async () => {
  home = new SimHome();
  task = home.file('task.yaml', TASK_YAML);
  await home.run(['jobs', 'launch', '-d', '-y', task]);
  await home.run(['sim', 'advance', '10m']);
});
afterAll(() => home.cleanup());

const DEFAULT_FIELDS = ['job_id', 'task_id', 'workspace', 'job_name', 'task_name', 'resources', 'submitted_at', 'job_duration', 'recovery_count', 'status'];
const VERBOSE_ONLY = ['start_at', 'infra', 'cloud', 'region', 'cluster_resources', 'schedule_state', 'metadata', 'current_cluster_name'];

describe('sky jobs queue -o json', () => {
  it('prints every ManagedJobRecord field, null unless fetched', async () => {
    const r = await home.run(['jobs', 'queue', '-o', 'json']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('[\n  {\n    "task_job_id": null,\n    "job_id": 1,\n')).toBe(true);
    const [rec] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Object.keys(rec!)).toHaveLength(57); // SkyPilot 0.14.1's ManagedJobRecord (test/contract checks the text)
    for (const f of DEFAULT_FIELDS) expect(rec![f], f).not.toBeNull();
    for (const f of VERBOSE_ONLY) expect(rec![f], f).toBeNull();
    expect(rec!.user_name).toBeNull();
    expect(rec).toMatchObject({ status: 'RUNNING', job_name: 'train', resources: '1x[H100:8][Spot]', workspace: 'default' });
    expect(r.stdout).toMatch(/"job_duration": \d+\.\d+,/); // a Python float
  });

  it('fills the verbose fields with -v and user fields with -u', async () => {
    const [rec] = JSON.parse((await home.run(['jobs', 'queue', '-v', '-u', '-o', 'json'])).stdout) as Record<string, unknown>[];
    for (const f of VERBOSE_ONLY) expect(rec![f], f).not.toBeNull();
    expect(rec).toMatchObject({ schedule_state: 'ALIVE', cloud: 'AWS', user_name: 'alice', user_hash: 'a11ce000', metadata: {} });
  });
});

describe('emulated versions', () => {
  it('current (0.14.1): header with PROGRESS and POOL', async () => {
    expect((await home.run(['--version'])).stdout).toBe('skypilot, version 0.14.1\n');
    const q = await home.run(['jobs', 'queue']);
    expect(q.stdout.split('\n')[3]).toMatch(/^ID {2}TASK {2}NAME {3}REQUESTED {9}SUBMITTED {4}TOT\. DURATION {2}JOB DURATION {2}#RECOVERIES {2}STATUS {3}PROGRESS {2}POOL {2}$/);
  });

  it('0.10.5 (alias 0.10.6): REQUESTED ... STATUS, POOL; --limit yes, -o no, no --tail', async () => {
    const env = { SKYLOOP_SIM_EMULATE: '0.10.6' };
    expect((await home.run(['--version'], { env })).stdout).toBe('skypilot, version 0.10.5\n');
    const q = await home.run(['jobs', 'queue', '--limit', '5'], { env });
    expect(q.stdout.split('\n')[3]).toMatch(/^ID {2}TASK {2}NAME {3}REQUESTED .* #RECOVERIES {2}STATUS {3}POOL {2}$/);
    const o = await home.run(['jobs', 'queue', '-o', 'json'], { env });
    expect(o.exitCode).toBe(2);
    expect(o.stderr).toBe("Usage: sky jobs queue [OPTIONS]\nTry 'sky jobs queue -h' for help.\n\nError: No such option: -o\n");
    const t = await home.run(['--emulate', '0.10.6', 'jobs', 'logs', '--tail', '5', '1']);
    expect(t.exitCode).toBe(2);
    expect(t.stderr).toContain('Error: No such option: --tail');
  });

  it('0.13.0 on: -s is --status, a bare -s the deprecated --skip-finished; before it, -s is --skip-finished', async () => {
    const WARNING =
      'Warning: `-s` without a value is a deprecated alias for `--skip-finished` and will be removed in 0.15.0. Use `--skip-finished`, or pass a status (e.g. `-s RUNNING`).\n';
    for (const [emulate, warns] of [['0.11.2', false], ['0.12.3.post1', false], ['0.13.0', true], ['current', true]] as const) {
      const env = { SKYLOOP_SIM_EMULATE: emulate };
      const bare = await home.run(['jobs', 'queue', '-s'], { env });
      expect([emulate, bare.exitCode, bare.stderr]).toEqual([emulate, 0, warns ? WARNING : '']);
      expect(bare.stdout).toContain('Managed jobs (showing in-progress jobs only)');
      const status = await home.run(['jobs', 'queue', '-s', 'RUNNING'], { env });
      expect([emulate, status.exitCode]).toEqual([emulate, warns ? 0 : 2]);
    }
  });

  it('0.11.2: the TASK argument of sky jobs logs, no --tail, no -o json', async () => {
    const env = { SKYLOOP_SIM_EMULATE: '0.11.2' };
    expect((await home.run(['--version'], { env })).stdout).toBe('skypilot, version 0.11.2\n');
    const task = await home.run(['jobs', 'logs', '--no-follow', '1', '0'], { env });
    expect([task.exitCode, task.stderr]).toEqual([0, '']);
    const before = await home.run(['jobs', 'logs', '--no-follow', '1', '0'], { env: { SKYLOOP_SIM_EMULATE: '0.10.5' } });
    expect(before.stderr).toContain('Error: Got unexpected extra argument (0)');
    expect((await home.run(['jobs', 'logs', '--tail', '5', '1'], { env })).stderr).toContain('Error: No such option: --tail');
    expect((await home.run(['jobs', 'queue', '-o', 'json'], { env })).stderr).toContain('Error: No such option: -o');
  });

  it('cancel names the selectors the release has', async () => {
    const usage = async (emulate: string) => (await home.run(['jobs', 'cancel', '--yes', '--all', '1'], { env: { SKYLOOP_SIM_EMULATE: emulate } })).stderr;
    expect(await usage('0.9.3')).toContain("Error: Can only specify one of JOB_IDS, --name, or --all/--all-users. Provided '--job-ids 1 --all'.");
    expect(await usage('0.10.5')).toContain("Error: Can only specify one of JOB_IDS, --name, --pool, or --all/--all-users. Provided '--job-ids 1 --all'.");
  });

  it('0.9.3: RESOURCES column, -v columns of that release, no --limit', async () => {
    const env = { SKYLOOP_SIM_EMULATE: '0.9.3' };
    expect((await home.run(['--version'], { env })).stdout).toBe('skypilot, version 0.9.3\n');
    const q = await home.run(['jobs', 'queue', '-v'], { env });
    const lines = q.stdout.split('\n');
    expect(q.stderr).toBe('');
    expect(lines[0]).toBe('Fetching managed job statuses...');
    expect(lines[3]).toMatch(
      /^ID {2}TASK {2}NAME {3}RESOURCES {9}SUBMITTED {4}TOT\. DURATION {2}JOB DURATION {2}#RECOVERIES {2}STATUS {3}STARTED\s+CLUSTER\s+REGION\s+SCHED\. STATE {2}DETAILS {2}$/,
    );
    const l = await home.run(['jobs', 'queue', '--limit', '3'], { env });
    expect(l.exitCode).toBe(2);
    expect(l.stderr).toContain('Error: No such option: --limit');
    const o = await home.run(['jobs', 'queue', '--output=json'], { env });
    expect(o.stderr).toContain('Error: No such option: --output');
  });
});

describe('colour by default (SKYLOOP_SIM_COLOR unset), as SkyPilot prints through a pipe', () => {
  it("drops the CLI's own codes and keeps those of lines relayed from the API server", async () => {
    const r = await home.run(['jobs', 'launch', '-d', '-y', '--name', 'piped', task], { env: { SKYLOOP_SIM_COLOR: '' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`YAML to run: ${task}\n`); // click.echo on a pipe: plain
    expect(r.stdout).toMatch(/\x1b\[33mLaunching managed job 'piped' from jobs controller\.\.\.\x1b\[0m\n\x1b\[0m⚙︎ Syncing files\.\n\x1b\[0m⚙︎ Job submitted, ID: \d+\n/);
    const logs = await home.run(['jobs', 'logs', '--no-follow', '1'], { env: { SKYLOOP_SIM_COLOR: '' } });
    expect(logs.stdout).not.toBe(logs.stdout.replace(/\x1b\[[0-9;]*m/g, '')); // the relayed log keeps its colours
  });
});
