import type { JobStatus } from './job-status.js';

/**
 * One task of one managed job, normalised from either `sky jobs queue -o json` or the table.
 * Field names follow SkyPilot's own vocabulary (snake_case) so records read the same as `sky` output.
 * This shape is what `skyloop queue --json` prints; change it only with a documented version bump.
 */
export interface JobRecord {
  job_id: number;
  /** 0 for single-task jobs; the task index inside a pipeline otherwise. */
  task_id: number;
  job_name: string;
  task_name: string;
  status: JobStatus;
  /** Requested resources, e.g. `1x[H100:8][Spot]`. */
  resources: string | null;
  infra: string | null;
  /** Unix seconds. From a table these are derived from relative text, see `time_precision`. */
  submitted_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  /** Seconds the job actually ran (excludes provisioning and recovery). */
  job_duration_s: number | null;
  recovery_count: number;
  failure_reason: string | null;
  details: string | null;
  user: string | null;
  workspace: string | null;
  pool: string | null;
  /** `exact` from JSON timestamps; `approximate` when read from a table's relative times ("2 hrs ago"). */
  time_precision: 'exact' | 'approximate';
}

export const QUEUE_JSON_SCHEMA_VERSION = 1;

/**
 * The task that decides a managed job's status, from the job's records (one per task): the first that has
 * not SUCCEEDED, else the last — SkyPilot's own rule (sky/jobs/utils.py `_get_job_status_from_tasks`). For a
 * pipeline whose first task succeeded this is the task that failed (or is running), not task 0. Its
 * failure_reason is the first one any task has, as `sky jobs logs` reports it (`state.get_failure_reason`).
 */
export function currentTask<R extends Pick<JobRecord, 'task_id' | 'status' | 'failure_reason'>>(tasks: R[]): R | undefined {
  const ordered = [...tasks].sort((a, b) => a.task_id - b.task_id);
  const current = ordered.find((t) => t.status !== 'SUCCEEDED') ?? ordered.at(-1);
  if (!current) return undefined;
  const reason = current.failure_reason ?? ordered.find((t) => t.failure_reason !== null)?.failure_reason ?? null;
  return { ...current, failure_reason: reason };
}
