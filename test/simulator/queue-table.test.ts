// The queue table against the reference's derived HEAD rendering (skypilot-cli.md §3.3(f)).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimHome } from './helpers.js';

const GOLDEN = `
ID··TASK··NAME·······REQUESTED···················SUBMITTED·······TOT.·DURATION··JOB·DURATION··#RECOVERIES··STATUS················PROGRESS··POOL··
5·········pipeline···-···························50·mins·ago·····47m·45s········45m·2s········1············RECOVERING·(task:·0)··-·········-·····
·↳··0·····train······1x[V100:8][On-demand|Spot]··50·mins·ago·····47m·45s········45m·2s········1············RECOVERING············-·········-·····
·↳··1·····eval·······1x[T4:1]····················-···············-··············-·············0············PENDING···············-·········-·····
·················································································································································
4···-·····qwen-sft···1x[H100:8][Spot]············2·hrs·ago·······2h·3m·10s······1h·58m·2s·····2············RUNNING···············-·········-·····
3···-·····bad-setup··1x[CPU:1+]··················3·days·ago······2m·10s·········-·············0············FAILED_SETUP··········-·········-·····
1···-·····sky-cmd····1x[CPU:1+]··················a·few·secs·ago··<·1s···········-·············0············STARTING··············-·········-·····
`
  .trim()
  .replaceAll('·', ' ');

const T = 1_790_000_000; // frozen simulated now
const log = { nodes: 1, su: [], ru: [], n: 0, iv: 60, sd: 0 };
const task = (name: string, res: string, tl: [string, number][], sub?: number) => ({
  name,
  res,
  ...(sub === undefined ? {} : { sub }),
  tl,
  infra: 'AWS (us-east-1)',
  cloud: 'AWS',
  region: 'us-east-1',
  cres: '1x(cpus=8, m6i.2xlarge)',
  log,
});
const job = (id: number, name: string, tasks: unknown[], sub: number) => ({
  id,
  name,
  user: 'alice',
  uh: 'a11ce000',
  ws: 'default',
  sub,
  tasks,
  rts: 'sky-2026-09-21-00-00-00-000000',
});

function goldenState() {
  const s5 = T - 2865; // 47m 45s ago
  const s4 = T - 7390; // 2h 3m 10s ago
  const s3 = T - 3 * 86400;
  const s1 = T - 5;
  return {
    v: 1,
    epoch: { sim: T, real: 1 },
    offset: 0,
    speed: 0,
    nextId: 6,
    jobs: [
      job(1, 'sky-cmd', [task('sky-cmd', '1x[CPU:1+]', [['PENDING', s1], ['STARTING', s1 + 1]], s1)], s1),
      job(3, 'bad-setup', [task('bad-setup', '1x[CPU:1+]', [['PENDING', s3], ['STARTING', s3 + 15], ['FAILED_SETUP', s3 + 130]], s3)], s3),
      job(
        4,
        'qwen-sft',
        [
          task(
            'qwen-sft',
            '1x[H100:8][Spot]',
            [['PENDING', s4], ['STARTING', s4 + 15], ['RUNNING', T - 7230], ['RECOVERING', T - 4230], ['RUNNING', T - 4170], ['RECOVERING', T - 2170], ['RUNNING', T - 2082]],
            s4,
          ),
        ],
        s4,
      ),
      job(
        5,
        'pipeline',
        [
          // One recovery done (counted when it succeeded), a second one under way; 45m 2s of running time.
          task('train', '1x[V100:8][On-demand|Spot]', [['PENDING', s5], ['STARTING', s5 + 15], ['RUNNING', s5 + 60], ['RECOVERING', s5 + 600], ['RUNNING', s5 + 660], ['RECOVERING', s5 + 2822]], s5),
          task('eval', '1x[T4:1]', [['PENDING', s5]]),
        ],
        s5,
      ),
    ],
  };
}

let home: SimHome;
beforeEach(() => {
  home = new SimHome();
  writeFileSync(join(home.dir, 'state.json'), JSON.stringify(goldenState()));
});
afterEach(() => home.cleanup());

/** Independent re-implementation of the prettytable padding rule, to rebuild the golden with our times. */
function render(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length + 2)).join('')).join('\n');
}

function split(table: string): string[][] {
  const lines = table.split('\n');
  const header = lines[0]!;
  const starts: number[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) starts.push(m.index);
  return lines.map((l) => starts.map((s, i) => [...l].slice(s, starts[i + 1] ?? undefined).join('').trimEnd()));
}

describe('sky jobs queue table', () => {
  it('matches the HEAD layout byte for byte (times we control substituted)', async () => {
    const r = await home.run(['jobs', 'queue']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Fetching managed job statuses...', 'Managed jobs', 'In progress tasks: 1 PENDING, 1 RECOVERING, 1 RUNNING, 1 STARTING']);
    const actual = lines.slice(3).join('\n').replace(/\n$/, '');
    // Our consistent clock: job 5 was submitted 47m45s ago ("47 mins ago"); job 1 five seconds ago ("5s").
    const expectedCells = split(GOLDEN);
    expectedCells[1]![4] = '47 mins ago';
    expectedCells[2]![4] = '47 mins ago';
    expectedCells[7]![5] = '5s';
    expect(actual).toBe(render(expectedCells));
    // Everything else is the golden verbatim.
    const goldenLines = GOLDEN.split('\n');
    expect(actual.split('\n')[0]).toBe(goldenLines[0]);
    expect(actual.split('\n')[5]).toBe(goldenLines[5]);
    expect(actual.split('\n')[6]).toBe(goldenLines[6]);
  });

  it('colours STATUS cells without counting the codes in the width', async () => {
    const r = await home.run(['jobs', 'queue'], { env: { SKYLOOP_SIM_COLOR: 'always' } });
    expect(r.stdout).toContain('\x1b[32mRUNNING\x1b[0m               -');
    expect(r.stdout).toContain('\x1b[36mRECOVERING\x1b[0m (task: 0)  -');
    expect(r.stdout).toContain('\x1b[31mFAILED_SETUP\x1b[0m          -');
    expect(r.stdout.startsWith('\x1b[36mFetching managed job statuses...\x1b[0m\n')).toBe(true);
    const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    const uncolored = await home.run(['jobs', 'queue']);
    expect(plain).toBe(uncolored.stdout);
  });

  it('truncates with the verbatim footer and shows USER columns with -u', async () => {
    const r = await home.run(['jobs', 'queue', '--limit', '2']);
    expect(r.stdout).toContain(
      '\nOnly showing the latest 2 managed jobs(use --limit to show more managed jobs or --all to show all managed jobs)  \n',
    );
    const u = await home.run(['jobs', 'queue', '-u']);
    expect(u.stdout).toMatch(/^ID {2}TASK {2}NAME {7}USER {3}REQUESTED/m);
    const uv = await home.run(['jobs', 'queue', '-u', '-v']);
    expect(uv.stdout).toMatch(/^ID {2}TASK {2}WORKSPACE {2}NAME {7}USER {3}USER_ID {3}REQUESTED/m);
    expect(uv.stdout).toMatch(/WORKER_CLUSTER {2}WORKER_JOB_ID {2}STARTED\s+INFRA\s+RESOURCES\s+SCHED\. STATE {2}DETAILS\s+GIT_COMMIT {2}$/m);
  });

  // How fast is bench/queue-parse.js's question (a ratio against a baseline), not a test's.
  it('lists 2,000 jobs', async () => {
    const st = goldenState();
    const jobs = [];
    for (let i = 1; i <= 2000; i++) {
      const s = T - i * 60;
      jobs.push(job(i, `job-${i}`, [task(`job-${i}`, '1x[L4:1][Spot]', [['PENDING', s], ['STARTING', s + 10], ['RUNNING', s + 100], ['SUCCEEDED', s + 3000]], s)], s));
    }
    writeFileSync(join(home.dir, 'state.json'), JSON.stringify({ ...st, jobs, nextId: 2001 }));
    const r = await home.run(['jobs', 'queue', '-a']);
    expect(r.stdout.split('\n').filter((l) => /^\d+ /.test(l))).toHaveLength(2000);
    expect(JSON.parse(readFileSync(join(home.dir, 'state.json'), 'utf8')).jobs).toHaveLength(2000);
  });
});
