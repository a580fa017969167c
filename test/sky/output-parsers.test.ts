import { describe, expect, it } from 'vitest';
import { parseCancelOutput } from '../../mcp-server/src/sky/cancel-output-parser.js';
import { parseLaunchJobIds } from '../../mcp-server/src/sky/launch-output-parser.js';
import { parseQueueJson } from '../../mcp-server/src/sky/queue-json-parser.js';
import { QueueParseError } from '../../mcp-server/src/sky/queue-table-parser.js';

// Shape of SkyPilot's ManagedJobRecord dump (skypilot-cli.md §3.5): every field present, null when not fetched.
const record = (over: Record<string, unknown>) => ({
  task_job_id: 29, job_id: 27, task_id: 0, job_name: 'e82', task_name: 'trainer', job_duration: 13.05,
  workspace: 'default', status: 'SUCCEEDED', schedule_state: 'DONE', resources: '1x[CPU:0.1+]',
  cluster_resources: '-', cloud: '-', region: '-', zone: '-', infra: '-', recovery_count: 0, details: null,
  failure_reason: null, user_name: 'alice', user_hash: 'ab12cd34', submitted_at: 1782204038.3257022,
  start_at: 1782204050.5, end_at: 1782204070.25, metadata: null, pool: null, ...over,
});

describe('parseQueueJson', () => {
  it('maps ManagedJobRecord fields, keeping exact timestamps and turning "-" into null', () => {
    const out = JSON.stringify([record({})], null, 2) + '\n';
    const [r] = parseQueueJson(out);
    expect(r).toMatchObject({
      job_id: 27, task_id: 0, job_name: 'e82', task_name: 'trainer', status: 'SUCCEEDED',
      resources: '1x[CPU:0.1+]', infra: null, submitted_at: 1782204038.3257022, started_at: 1782204050.5,
      ended_at: 1782204070.25, job_duration_s: 13.05, user: 'alice', time_precision: 'exact',
    });
  });

  it('skips server log lines before the array and reads failure reasons', () => {
    const out = 'I 11-21 10:00:00 sdk.py:12] streaming\n' +
      JSON.stringify([record({ status: 'FAILED', failure_reason: 'To see the details, run: sky jobs logs --controller 27', end_at: -1 })], null, 2);
    const [r] = parseQueueJson(out);
    expect(r?.failure_reason).toMatch(/sky jobs logs --controller 27/);
    expect(r?.ended_at).toBeNull();
  });

  it('rejects output that is not the record array, naming the field', () => {
    expect(() => parseQueueJson('Error: boom\n')).toThrow(QueueParseError);
    expect(() => parseQueueJson('[{"job_id": 1}]')).toThrow(/\[0\.status\]/);
    expect(() => parseQueueJson('[{"job_id": 1, "status": "RUN')).toThrow(/does not parse/);
  });
});

describe('parseLaunchJobIds', () => {
  it('reads "Managed Job ID" from the hint block (skypilot-cli.md §2.2)', () => {
    const out = "YAML to run: train.yaml\nLaunching managed job 'exp-a' from jobs controller...\n" +
      '⚙︎ Job submitted, ID: 12\n\n📋 Useful Commands\nManaged Job ID: 7\n├── To cancel the job:\t\tsky jobs cancel 7\n';
    expect(parseLaunchJobIds(out)).toEqual([7]);
  });
  it('falls back to the controller submission line, and reads pool launches', () => {
    expect(parseLaunchJobIds('⚙︎ Job submitted, ID: 12\n')).toEqual([12]);
    expect(parseLaunchJobIds('Jobs submitted with IDs: 34,35.\n')).toEqual([34, 35]);
    expect(parseLaunchJobIds('Submitted sky.jobs.launch request: c01f1273-4610\n')).toEqual([]);
  });
});

describe('parseCancelOutput', () => {
  it('reads scheduled, skipped-terminal and not-found jobs (skypilot-cli.md §4.2)', () => {
    const out = 'Job 7 not found. Skipped.\nJob 3 is already in terminal state SUCCEEDED. Skipped.\n' +
      'Jobs with IDs 1, 2 are scheduled to be cancelled.\n';
    expect(parseCancelOutput(out)).toEqual({
      cancelled: [1, 2], already_terminal: [{ job_id: 3, status: 'SUCCEEDED' }], not_found: [7],
    });
    expect(parseCancelOutput('Job with ID 3 is scheduled to be cancelled.\n').cancelled).toEqual([3]);
    expect(parseCancelOutput('No job to cancel.\n').cancelled).toEqual([]);
  });
});
