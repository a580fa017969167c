import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQueueTable, QueueParseError } from '../../mcp-server/src/sky/queue-table-parser.js';

const NOW = 1_800_000_000;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/queue/${name}.txt`, import.meta.url), 'utf8');
const pick = (r: { job_id: number; task_id: number; task_name: string; status: string; resources: string | null }) =>
  [r.job_id, r.task_id, r.task_name, r.status, r.resources] as const;

describe('parseQueueTable on the verbatim examples of skypilot-cli.md §3.3', () => {
  it('(a) docs layout without TASK column, RESOURCES with a space', () => {
    const { records } = parseQueueTable(fixture('a-docs-managed-jobs'), NOW);
    expect(records.map(pick)).toEqual([
      [2, 0, 'qwen-rl', 'RUNNING', '1x [H200:8]'],
      [1, 0, 'qwen-finetune', 'RUNNING', '1x [B200:8]'],
    ]);
    // Live job: submission time comes from TOT. DURATION (2h 47m 18s), to the second.
    expect(records[0]?.submitted_at).toBe(NOW - (2 * 3600 + 47 * 60 + 18));
    expect(records[0]?.job_duration_s).toBe(2 * 3600 + 36 * 60 + 18);
    expect(records[0]?.ended_at).toBeNull();
  });

  it('a terminal capture (CRLF line ends) reads the same as the plain text', () => {
    const plain = parseQueueTable(fixture('b-docs-pipeline'), NOW);
    const crlf = parseQueueTable(fixture('b-docs-pipeline').replaceAll('\n', '\r\n'), NOW);
    expect(crlf.records).toEqual(plain.records);
    expect(crlf.records).toHaveLength(2);
  });

  it('(b) pipeline: aggregate row dropped, one record per task under the job id', () => {
    const { records } = parseQueueTable(fixture('b-docs-pipeline'), NOW);
    expect(records.map(pick)).toEqual([
      [8, 0, 'train', 'RECOVERING', '1x [V100:8][Spot|On-demand]'],
      [8, 1, 'eval', 'PENDING', '1x [T4:1]'],
    ]);
    expect(records.every((r) => r.job_name === 'pipeline')).toBe(true);
    expect(records[0]?.recovery_count).toBe(1);
    expect(records[1]?.submitted_at).toBeNull();
  });

  it('(c) USER column and terminal jobs: end = submitted + total duration', () => {
    const { records } = parseQueueTable(fixture('c-docs-api-server-users'), NOW);
    expect(records.map((r) => [r.job_id, r.user, r.status])).toEqual([
      [3, 'my-user', 'CANCELLED'],
      [2, 'other-user', 'CANCELLED'],
      [1, 'my-use', 'SUCCEEDED'],
    ]);
    const r = records[0]!;
    expect(r.submitted_at).toBe(NOW - 2 * 86_400);
    expect(r.ended_at).toBe(r.submitted_at! + 2 * 60 + 10);
    expect(r.job_duration_s).toBe(74);
  });

  it('(d) a user-edited table whose cells no longer line up with the header still parses', () => {
    const { records } = parseQueueTable(fixture('d-issue-5031'), NOW);
    expect(records.map(pick)).toEqual([
      [68, 0, 'job-077', 'FAILED_CONTROLLER', '1x[L4:1][Spot]'],
      [67, 0, 'job-0253', 'FAILED_CONTROLLER', '1x[L4:1][Spot]'],
      [66, 0, 'job-0240', 'SUCCEEDED', '1x[L4:1][Spot]'],
    ]);
    expect(records[1]?.job_duration_s).toBe(4 * 3600 + 20 * 60 + 1);
  });

  it('(e) a cell that touches the next one with a single space is split at the header offset', () => {
    const { records } = parseQueueTable(fixture('e-docs-many-jobs'), NOW);
    expect(records.map(pick)).toEqual([
      [10, 0, 'train-job10', 'RUNNING', '1x[V100:4]'],
      [9, 0, 'train-job9', 'RUNNING', '1x[V100:4]'],
    ]);
  });

  it('(f) current layout: PROGRESS/POOL, "(task: 0)" suffix, separator row, "a few secs ago"', () => {
    const { records } = parseQueueTable(fixture('f-head-derived'), NOW);
    expect(records.map(pick)).toEqual([
      [5, 0, 'train', 'RECOVERING', '1x[V100:8][On-demand|Spot]'],
      [5, 1, 'eval', 'PENDING', '1x[T4:1]'],
      [4, 0, 'qwen-sft', 'RUNNING', '1x[H100:8][Spot]'],
      [3, 0, 'bad-setup', 'FAILED_SETUP', '1x[CPU:1+]'],
      [1, 0, 'sky-cmd', 'STARTING', '1x[CPU:1+]'],
    ]);
    expect(records[2]?.recovery_count).toBe(2);
    expect(records[4]?.submitted_at).toBe(NOW); // `< 1s` total duration, still starting
    expect(records.every((r) => r.pool === null && r.time_precision === 'approximate')).toBe(true);
  });
});

describe('parseQueueTable on what the CLI prints around the table', () => {
  const table = fixture('f-head-derived');

  it('ignores ANSI colours, <sky-payload> lines, the header lines and the truncation footer', () => {
    const colored = table.replace('RUNNING  ', '\x1b[32mRUNNING\x1b[0m  ');
    const out =
      'Fetching managed job statuses...\n<sky-payload><rich_update>x</rich_update></sky-payload>\n' +
      'Managed jobs\nIn progress tasks: 1 PENDING, 1 RECOVERING, 1 RUNNING, 1 STARTING\n' +
      colored +
      'Only showing the latest 50 managed jobs(use --limit to show more managed jobs or --all to show all managed jobs)\n';
    const parsed = parseQueueTable(out, NOW);
    expect(parsed.truncated).toBe(true);
    expect(parsed.records.map((r) => r.status)).toContain('RUNNING');
    expect(parsed.records).toHaveLength(5);
  });

  it('reads "No in-progress managed jobs." as an empty queue, and why when the controller is not up', () => {
    const answer = (line: string) => parseQueueTable(`Fetching managed job statuses...\nManaged jobs\n${line}\n`, NOW);
    expect(answer('No in-progress managed jobs.')).toEqual({ records: [], truncated: false, controller: 'up' });
    expect(answer('No in-progress managed jobs. (See: sky jobs -h)').controller).toBe('absent');
    expect(answer('No in-progress managed jobs. (See finished managed jobs: sky jobs queue --refresh)').controller).toBe('stopped');
  });

  it('keeps an unknown future status verbatim', () => {
    const out = table.replace('STARTING  ', 'HIBERNATE ');
    expect(parseQueueTable(out, NOW).records.at(-1)?.status).toBe('HIBERNATE');
  });

  it('rejects garbage and truncated output with the offending line', () => {
    expect(() => parseQueueTable('Traceback (most recent call last):\n  boom\n', NOW)).toThrow(QueueParseError);
    expect(() => parseQueueTable(table + 'this is not a row\n', NOW)).toThrow(/line 9 is not a job row/);
    expect(() => parseQueueTable(table.slice(0, table.length - 40), NOW)).toThrow(/truncated/);
  });
});
