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
