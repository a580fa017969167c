// A job that has not ended has no root cause yet: its log so far says nothing about how it will end.
import type { SkyPort } from '../factorial/factorial-context.js';
import { currentTask } from '../sky/job-record.js';
import { isTerminal } from '../sky/job-status.js';
import { SkyError } from '../sky/sky-errors.js';

export interface JobState {
  status: string;
  failure_reason: string | null;
  /** The task that decides the job's status (a pipeline's failed task), and how many tasks the job has. */
  task_id: number;
  tasks: number;
}

/** The job's status from one `sky jobs queue`: that of its current task (a pipeline's failed one, not task 0). */
export async function jobState(jobId: number, sky: Pick<SkyPort, 'queue'>): Promise<JobState> {
  const records = (await sky.queue()).records.filter((r) => r.job_id === jobId);
  const task = currentTask(records);
  if (!task) throw new SkyError('job_not_found', `SkyPilot has no managed job with id ${jobId}`, 'sky jobs queue', { jobId });
  return { status: task.status, failure_reason: task.failure_reason, task_id: task.task_id, tasks: records.length };
}

/** What analyze_logs answers for a job that is still running (or pending, starting, recovering, cancelling). */
export function notFinishedAnalysis(jobId: number, status: string) {
  if (isTerminal(status)) throw new Error(`job ${jobId} is ${status}: it has finished`);
  return {
    category: 'RUNNING',
    description: `RUNNING: nothing to diagnose yet (job ${jobId} is ${status})`,
    fixability: 'none',
    confidence: 'high' as const,
    confidence_reason: `sky jobs queue reports job ${jobId} as ${status}, not terminal`,
    fingerprint: '',
    exception_type: null,
    exit_code: null,
    evidence: [],
    fix_strategy: 'nothing to fix yet: wait_for_change (or job_status with log_tail to read its log), then analyze it once it is terminal',
    affected_files: [],
    retry: 'not applicable',
    seen: [],
    lines: 0,
    bytes: 0,
    failure_reason: null,
    job_id: jobId,
    status,
    log: 'job' as const,
  };
}
