// SkyPilot's failure_reason (from `sky jobs queue`) as evidence: a line 0 of the log that is always live,
// the log it steers the analysis to, and a pipeline's failed task rather than task 0.
import { describe, expect, it } from 'vitest';
import { analyzeJob } from '../../mcp-server/src/diagnosis/analyze-job.js';
import { analyzeText } from '../../mcp-server/src/diagnosis/analyze-log.js';
import { loadPatternLibrary } from '../../mcp-server/src/diagnosis/pattern-library.js';
import { renderAnalysis } from '../../mcp-server/src/diagnosis/render-analysis.js';
import { currentTask, type JobRecord } from '../../mcp-server/src/sky/job-record.js';

const library = loadPatternLibrary();
const progress = (n: number) => Array.from({ length: n }, (_, i) => `(train, pid=7) step ${i + 1}/9000 | loss 0.4${i % 10}`).join('\n');
// Real reasons (sky/jobs/controller.py, sky/jobs/utils.py of 0.9.3 … 0.14.1).
const PRECHECK = "[sky.exceptions.ResourcesUnavailableError] Task 'seg3d' requires AWS which is not enabled. To enable access, change the task cloud requirement or run: sky check aws";
const CONTROLLER_DEAD = 'Controller process has exited abnormally (Controller process is dead). For more details, run: sky jobs logs --controller 13';

describe("SkyPilot's failure_reason as evidence (line 0)", () => {
  it('names the cause when the log says nothing, and the result says which reason it used', () => {
    const without = analyzeText(progress(20), library, { status: 'FAILED_PRECHECKS' });
    expect(without).toMatchObject({ confidence: 'low', evidence: [] }); // at most a guess from the status
    const r = analyzeText(progress(20), library, { status: 'FAILED_PRECHECKS', failure_reason: PRECHECK });
    expect(r).toMatchObject({ category: 'CLOUD_CREDENTIALS', confidence: 'high', failure_reason: PRECHECK });
    expect(r.evidence[0]).toMatchObject({ line_number: 0, line: PRECHECK });
    expect(r.confidence_reason).toMatch(/failure_reason/);
    const text = renderAnalysis(r);
    expect(text).toContain(`SkyPilot's failure reason: ${PRECHECK}`);
    expect(text).toContain("evidence (SkyPilot's failure reason, read as line 0)");
  });

  it('is always live: an early log line of the same text is demoted, the reason is not', () => {
    const early = analyzeText(`${CONTROLLER_DEAD}\n${progress(600)}`, library, { status: 'FAILED_CONTROLLER' });
    expect(early.confidence).toBe('low'); // seen only early: the job may have recovered from it
    const r = analyzeText(progress(600), library, { status: 'FAILED_CONTROLLER', failure_reason: CONTROLLER_DEAD });
    expect(r).toMatchObject({ category: 'CONTROLLER_FAILURE', confidence: 'high' });
    expect(r.seen).toContainEqual({ category: 'CONTROLLER_FAILURE', lines: 1, first_line: 0, live: true });
  });

  it('is not failed over: a provisioning reason stays live after a launch line', () => {
    const log = `Managed job cluster launched.\n${progress(5)}`;
    const r = analyzeText(log, library, { status: 'FAILED_PRECHECKS', failure_reason: PRECHECK });
    expect(r.category).toBe('CLOUD_CREDENTIALS');
    expect(r.seen.find((s) => s.category === 'CLOUD_CREDENTIALS')?.live).toBe(true);
  });

  it("reads 0.14's exit code from the reason when the log kept no epilogue", () => {
    const reason = 'Job exited with exit code 137 (user program failure). To see the details, run: sky jobs logs --controller 4';
    expect(analyzeText(progress(5), library, { status: 'FAILED' }).exit_code).toBeNull();
    const r = analyzeText(progress(5), library, { status: 'FAILED', failure_reason: reason });
    expect(r.exit_code).toBe(137);
    expect(analyzeText(progress(5), library, { status: 'FAILED', failure_reason: reason.replace('exit code 137', 'exit codes [1, 137]') }).exit_code).toBe(1);
  });

  it('redacts the reason it reports', () => {
    const r = analyzeText(progress(3), library, { status: 'FAILED', failure_reason: 'sky.exceptions.CommandError: Command export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz123456 failed' });
    expect(r.failure_reason).not.toContain('hf_abcdefghij');
    expect(r.failure_reason).toContain('<redacted>');
  });
});

const rec = (task_id: number, status: string, failure_reason: string | null = null) => ({ task_id, status, failure_reason }) as Pick<JobRecord, 'task_id' | 'status' | 'failure_reason'>;

describe("a pipeline's current task (SkyPilot's _get_job_status_from_tasks)", () => {
  it('is the first task that has not succeeded, with the first reason any task has', () => {
    expect(currentTask([rec(2, 'FAILED'), rec(0, 'SUCCEEDED'), rec(1, 'FAILED', 'To see the details, run: sky jobs logs --controller 5')])).toMatchObject({
      task_id: 1,
      status: 'FAILED',
      failure_reason: 'To see the details, run: sky jobs logs --controller 5',
    });
    expect(currentTask([rec(0, 'SUCCEEDED'), rec(1, 'SUCCEEDED')])).toMatchObject({ task_id: 1, status: 'SUCCEEDED' });
    expect(currentTask([])).toBeUndefined();
  });
});

/** A SkyPort that serves fixed job and controller logs, recording which it was asked for. */
function port(records: Partial<JobRecord>[], logs: { job: string[]; controller: string[] }) {
  const asked: string[] = [];
  return {
    asked,
    sky: {
      queue: async () => ({ records: records as JobRecord[], controller: 'up' as const, source: 'json' as const }),
      logs: async (_id: number, o: { controller?: boolean; onLine?: (l: string) => void } = {}) => {
        asked.push(o.controller ? 'controller' : 'job');
        for (const l of o.controller ? logs.controller : logs.job) o.onLine?.(l);
        return { job_id: 1, outcome: 'failed' as const, exit_code: 0, line_count: 0, tail: [] };
      },
    },
  };
}

const OOM = ['Traceback (most recent call last):', '  File "/app/train.py", line 9, in <module>', 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.'];
const base = { job_id: 1, task_id: 0, job_name: 'j', task_name: 'j', details: null };

describe('which log the failure_reason steers the analysis to', () => {
  it('reads the controller log first when the reason names a failure outside the program', async () => {
    const p = port([{ ...base, status: 'FAILED', failure_reason: CONTROLLER_DEAD }], { job: OOM, controller: [progress(3), 'Unexpected error in JobsController run for task 0'] });
    const a = await analyzeJob(1, p.sky, library);
    expect(p.asked).toEqual(['controller']);
    expect(a).toMatchObject({ log: 'controller', category: 'CONTROLLER_FAILURE' });
    expect(a.log_reason).toMatch(/failure_reason names a failure outside the program/);
  });

  it("reads the controller log when sky jobs logs only points there (no kept log)", async () => {
    const pointer = ['Job 1 is already in terminal state FAILED. For more details, run: sky jobs logs --controller 1', 'Failure reason: To see the details, run: sky jobs logs --controller 1'];
    const p = port([{ ...base, status: 'FAILED', failure_reason: 'To see the details, run: sky jobs logs --controller 1' }], { job: pointer, controller: ['== Logs of the user job (ID: 1) ==', ...OOM] });
    const a = await analyzeJob(1, p.sky, library);
    expect(p.asked).toEqual(['job', 'controller']);
    expect(a).toMatchObject({ log: 'controller', category: 'OOM_CUDA' });
    expect(a.log_reason).toMatch(/kept no log/);
  });

  it('keeps the job log when it explains the failure, and reads the controller log when it does not', async () => {
    const reason = 'To see the details, run: sky jobs logs --controller 1';
    const explained = port([{ ...base, status: 'FAILED', failure_reason: reason }], { job: OOM, controller: [] });
    expect(await analyzeJob(1, explained.sky, library)).toMatchObject({ log: 'job', category: 'OOM_CUDA' });
    expect(explained.asked).toEqual(['job']);
    const silent = port([{ ...base, status: 'FAILED', failure_reason: reason }], { job: [progress(10)], controller: ['== Logs of the user job (ID: 1) ==', ...OOM] });
    const a = await analyzeJob(1, silent.sky, library);
    expect(silent.asked).toEqual(['job', 'controller']);
    expect(a).toMatchObject({ log: 'controller', category: 'OOM_CUDA' });
    expect(a.log_reason).toMatch(/points at the controller log/);
  });

  it("reads a pipeline's failed task, not task 0, and only that task's section of the log", async () => {
    const records = [
      { ...base, task_id: 0, status: 'SUCCEEDED', failure_reason: null },
      { ...base, task_id: 1, status: 'FAILED', failure_reason: 'To see the details, run: sky jobs logs --controller 1' },
      { ...base, task_id: 2, status: 'FAILED', failure_reason: 'To see the details, run: sky jobs logs --controller 1' },
    ];
    // Task 0's log has a (recovered) NCCL error that must not be blamed for task 1's failure.
    const job = [
      'Hint: This job has 3 tasks.',
      '=== Task prep(0) ===',
      '(prep, pid=3) torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1970, unhandled system error',
      '✓ Task prep(0) finished (status: SUCCEEDED).',
      '=== Task train(1) ===',
      ...OOM,
      '✓ Task train(1) finished (status: FAILED).',
      '✓ Job finished (status: FAILED).',
    ];
    const a = await analyzeJob(1, port(records, { job, controller: [] }).sky, library);
    expect(a).toMatchObject({ task_id: 1, status: 'FAILED', log: 'job', category: 'OOM_CUDA' });
    expect(a.seen.map((s) => s.category)).not.toContain('NCCL_ERROR');
    expect(a.log_reason).toMatch(/task 1 of 3/);
  });
});
