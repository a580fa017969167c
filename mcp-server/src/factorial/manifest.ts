// The factorial manifest (rule F5): the single source of truth of an experiment. Every condition is in it
// from the start, and every job id ever launched for it stays in its attempt history. Pure: no I/O here.
import { z } from 'zod';
import { AggregationSchema } from '../diagnosis/aggregation-schema.js';
import type { JobRecord } from '../sky/job-record.js';
import { ResultsSettingsSchema, type ResultsSettings } from '../tracking/results-settings.js';
import { isFailure, isTerminal } from '../sky/job-status.js';
import type { Condition } from './conditions.js';

export const MANIFEST_SCHEMA_VERSION = 1;

const LevelSchema = z.union([z.string(), z.number(), z.boolean()]);
const Iso = z.string().describe('ISO 8601 time, UTC');

export const FailureSchema = z.object({
  category: z.string().describe('Failure category id, e.g. OOM_CUDA'),
  fingerprint: z.string().describe('Category + normalised evidence line: equal fingerprints mean "identical error"'),
  line: z.string().nullable().describe('The evidence line (secrets redacted)'),
  confidence: z.enum(['high', 'medium', 'low']),
  fixability: z.enum(['auto', 'config', 'code', 'unrecoverable', 'transient']),
  exception_type: z.string().nullable(),
  classified_by: z
    .enum(['engine', 'agent'])
    .optional()
    .describe("Who chose the category: the diagnosis engine (absent = engine) or the agent, after the engine was not confident"),
  engine_category: z.string().optional().describe("The engine's own category when the agent classified the failure"),
  agent_reason: z.string().optional().describe("The agent's one-line reason for its classification"),
});

export const TrackingSchema = z.object({
  run_id: z.string().nullable(),
  run_url: z.string().nullable().describe('The run in the tracking UI'),
  run_status: z.string().nullable().describe("The tracking server's run status (FINISHED, FAILED, KILLED, RUNNING)"),
  found_by: z.enum(['tags', 'log_url']).nullable().describe('runs/search by the SKYLOOP_* tags, or the run URL the job printed'),
  metrics: z.record(z.string(), z.number().nullable()).describe('Each configured metric summarised (last or best); null: not logged'),
  read_at: Iso,
  error: z.string().nullable().describe('Why the run or its metrics could not be read'),
});

export const ResourcesSchema = z.object({
  infra: z.string().optional(),
  gpus: z.string().optional(),
  use_spot: z.boolean().optional(),
});

export const AttemptSchema = z.object({
  batch: z.number().int().min(0).describe('0 = original launch, 1 and 2 = relaunch cycles'),
  job_name: z.string(),
  job_id: z.number().int().nullable(),
  launch_state: z
    .enum(['intent', 'launched', 'launch_failed', 'outcome_unknown'])
    .describe(
      'intent is recorded before `sky jobs launch` runs, so an interrupted launch can be reconciled; outcome_unknown: ' +
        'sky may have submitted the job (non-zero exit after submitting, time-out, no id printed): reconciled with the ' +
        'queue by job name on every poll, never treated as failed before that',
    ),
  launch_error: z.string().nullable(),
  outcome_unknown_since: Iso.nullable().optional().describe('When the ambiguous launch ended (outcome_unknown only)'),
  image: z.string().nullable().describe('docker: image the attempt runs on'),
  status: z.string().nullable().describe('SkyPilot managed-job status, null before the first poll'),
  submitted_at: Iso.nullable(),
  start_time: Iso.nullable(),
  end_time: Iso.nullable(),
  duration_seconds: z.number().nullable().describe('Time the job ran (SkyPilot JOB DURATION)'),
  recovery_count: z.number().int(),
  cost_usd: z.number().nullable().describe('duration × hourly rate × nodes'),
  failure_reason: z.string().nullable().describe("SkyPilot's failure_reason, when it gave one"),
  failure: FailureSchema.nullable(),
  cancelled_by_kill_switch: z.boolean(),
  stuck_warned_at: Iso.nullable().describe('When skyloop warned that the job waited too long for resources'),
  tracking: TrackingSchema.nullable()
    .default(null)
    .describe("The attempt's tracking run and metric values, read once the job is terminal (null: not read yet)"),
  cancel: z
    .object({
      by: z.enum(['kill_switch', 'supervisor', 'user']),
      reason: z.string(),
      at: Iso,
      category: z.string().nullable().describe('What the controller log showed, for a stuck job'),
    })
    .nullable()
    .default(null)
    .describe('Who cancelled the job through skyloop and why; null with status CANCELLED = cancelled by hand'),
  resources: ResourcesSchema.nullable().default(null).describe('The fallback resources entry it was launched on, if any'),
  diagnosis_error: z.string().nullable().default(null).describe('Why the last diagnosis attempt could not read the log (retried next poll)'),
});

export const JobEntrySchema = z.object({
  condition: z.string(),
  levels: z.record(z.string(), LevelSchema),
  // The fields below mirror the newest attempt (kept for readers of the original manifest format).
  job_id: z.number().int().nullable(),
  status: z.string().describe('NOT_LAUNCHED, LAUNCH_FAILED or the SkyPilot status of the newest attempt'),
  start_time: Iso.nullable(),
  end_time: Iso.nullable(),
  duration_seconds: z.number().nullable(),
  cost_usd: z.number().nullable().describe('Sum over all attempts'),
  mlflow_run_id: z.string().nullable().describe("The newest attempt's tracking run id, once read"),
  failure_category: z.string().nullable(),
  failure_root_cause: z.string().nullable(),
  relaunch_batch: z.number().int().min(0),
  attempts: z.array(AttemptSchema),
});

export const BatchSchema = z.object({
  batch: z.number().int().min(0),
  started_at: Iso,
  git_commit: z.string().nullable(),
  git_dirty: z.boolean().nullable(),
  config_sha256: z.string().nullable().describe('Hash of the experiment config and task YAML the batch launched with'),
  docker_image: z.string(),
  docker_digest: z.string().nullable(),
  conditions: z.array(z.string()),
});

export const KillSwitchFiringSchema = z.object({
  batch: z.number().int(),
  at: Iso,
  fingerprint: z.string(),
  failed_conditions: z.array(z.string()),
  common_levels: z.record(z.string(), LevelSchema),
  cancelled: z.array(z.string()),
});

export const MonitorSettingsSchema = z.object({
  poll_interval_s: z.number().positive(),
  stuck_after_s: z.number().positive(),
  kill_switch: z.object({ enabled: z.boolean(), min_failures: z.number().int(), window_s: z.number().positive() }),
});

export const RebuildStepSchema = z.object({
  name: z.enum(['test', 'build', 'push']),
  command: z.string(),
  exit_code: z.number().int().nullable(),
  duration_s: z.number(),
  timed_out: z.boolean(),
  output_tail: z.array(z.string()).describe('Last lines of the step output (redacted)'),
});

export const RebuildSchema = z.object({
  id: z.number().int().min(1),
  at: Iso,
  after_batch: z.number().int().describe('The batch whose failures this rebuild is meant to fix'),
  git_commit: z.string().nullable(),
  git_dirty: z.boolean().nullable(),
  config_sha256: z.string().nullable(),
  image: z.string().describe('The tag reference that was pushed, e.g. docker:ghcr.io/org/train:v2'),
  digest: z.string().nullable().describe('Digest resolved from the registry after the push'),
  verified: z.boolean().describe('Steps passed, digest resolved in the registry, and not a stale push'),
  refused_reason: z.string().nullable(),
  steps: z.array(RebuildStepSchema),
  log_file: z.string(),
});

export const CycleAuthorizationSchema = z.object({
  at: Iso,
  max_cycles: z.number().int().describe('The new cycle limit'),
  budget_usd: z.number().describe('The new budget cap that comes with it'),
  reason: z.string(),
});

export const FiledIssueSchema = z.object({
  fingerprint: z.string(),
  root_cause_id: z.string(),
  conditions: z.array(z.string()),
  action: z.enum(['created', 'commented', 'draft']),
  url: z.string().nullable(),
  draft_path: z.string().nullable(),
  at: Iso,
});

export const AutopilotDecisionSchema = z.object({
  at: Iso,
  batch: z.number().int().describe('The batch whose outcome was decided on'),
  action: z.enum(['relaunch', 'wait', 'refused']),
  conditions: z.array(z.string()),
  reason: z.string(),
});

export const SupervisorStateSchema = z.object({
  sky_unavailable_since: Iso.nullable().default(null).describe('Start of the current SkyPilot outage, null while it answers'),
  last_sky_error: z.string().nullable().default(null),
  budget_warned_at: Iso.nullable().default(null),
  budget_exceeded_at: Iso.nullable().default(null),
  terminal_batches: z.array(z.number().int()).default([]).describe('Batches whose end was announced'),
  finished_at: Iso.nullable().default(null).describe('When every condition was accounted for'),
  autopilot: z.array(AutopilotDecisionSchema).default([]),
});

export const ManifestSchema = z.object({
  $schema: z.string(),
  schema_version: z.literal(MANIFEST_SCHEMA_VERSION),
  experiment_id: z.string(),
  config_file: z.string(),
  created_at: Iso,
  updated_at: Iso,
  factors: z.record(z.string(), z.array(LevelSchema)),
  skypilot_yaml: z.string(),
  docker_image: z.string(),
  docker_digest: z.string().nullable(),
  max_relaunch_cycles: z.number().int(),
  current_cycle: z.number().int(),
  hourly_rate_usd: z.number(),
  nodes_per_job: z.number().int().positive(),
  budget_usd: z.number(),
  total_estimated_cost: z.number(),
  monitor: MonitorSettingsSchema.describe('Polling, stuck detection and kill-switch settings, copied from the config'),
  last_poll_at: Iso.nullable(),
  batches: z.array(BatchSchema),
  kill_switch: z.array(KillSwitchFiringSchema).describe('Every time the kill switch fired'),
  aggregations: z.array(AggregationSchema).describe('F2: the root-cause aggregation of each batch, newest last'),
  rebuilds: z.array(RebuildSchema).describe('F3: every rebuild attempt, verified or not'),
  cycle_authorizations: z.array(CycleAuthorizationSchema).describe('F4: explicit authorizations to go past max_relaunch_cycles'),
  issues: z.array(FiledIssueSchema).describe('Unrecoverable failures filed as issues (or drafts)'),
  results: ResultsSettingsSchema.nullable()
    .default(null)
    .describe("The config's results settings (tracking server, metrics, primary metric), resolved at launch"),
  supervisor: SupervisorStateSchema.prefault({}).describe('What the supervisor decided, so it decides each thing once, across restarts'),
  jobs: z.array(JobEntrySchema),
});

export type Failure = z.infer<typeof FailureSchema>;
export type Tracking = z.infer<typeof TrackingSchema>;
export type Attempt = z.infer<typeof AttemptSchema>;
export type JobEntry = z.infer<typeof JobEntrySchema>;
export type Batch = z.infer<typeof BatchSchema>;
export type Rebuild = z.infer<typeof RebuildSchema>;
export type RebuildStep = z.infer<typeof RebuildStepSchema>;
export type CycleAuthorization = z.infer<typeof CycleAuthorizationSchema>;
export type FiledIssue = z.infer<typeof FiledIssueSchema>;
export type MonitorSettings = z.infer<typeof MonitorSettingsSchema>;
export type KillSwitchFiring = z.infer<typeof KillSwitchFiringSchema>;
export type Manifest = z.infer<typeof ManifestSchema>;
export type Resources = z.infer<typeof ResourcesSchema>;
export type AttemptCancel = NonNullable<Attempt['cancel']>;
export type AutopilotDecision = z.infer<typeof AutopilotDecisionSchema>;

export const NOT_LAUNCHED = 'NOT_LAUNCHED';
export const LAUNCH_FAILED = 'LAUNCH_FAILED';
export const LAUNCH_UNKNOWN = 'LAUNCH_UNKNOWN';
/**
 * An ambiguous launch whose job name the queue still does not show this long after it ended did not
 * submit: SkyPilot's API server finishes or drops a launch request well within it.
 */
export const OUTCOME_UNKNOWN_SETTLE_S = 600;

export interface NewManifest {
  experimentId: string;
  configFile: string;
  taskYaml: string;
  factors: Record<string, (string | number | boolean)[]>;
  conditions: Condition[];
  image: string;
  hourlyRateUsd: number;
  nodesPerJob: number;
  budgetUsd: number;
  estimatedCostUsd: number;
  maxRelaunchCycles: number;
  monitor: MonitorSettings;
  results?: ResultsSettings | null;
  now: Date;
}

export function createManifest(m: NewManifest): Manifest {
  const now = m.now.toISOString();
  return {
    $schema: 'skyloop factorial manifest: single source of truth for the state of one experiment',
    schema_version: MANIFEST_SCHEMA_VERSION,
    experiment_id: m.experimentId,
    config_file: m.configFile,
    created_at: now,
    updated_at: now,
    factors: m.factors,
    skypilot_yaml: m.taskYaml,
    docker_image: m.image,
    docker_digest: imageDigest(m.image),
    max_relaunch_cycles: m.maxRelaunchCycles,
    current_cycle: 0,
    hourly_rate_usd: m.hourlyRateUsd,
    nodes_per_job: m.nodesPerJob,
    budget_usd: m.budgetUsd,
    total_estimated_cost: m.estimatedCostUsd,
    monitor: m.monitor,
    last_poll_at: null,
    batches: [],
    kill_switch: [],
    aggregations: [],
    rebuilds: [],
    cycle_authorizations: [],
    issues: [],
    results: m.results ?? null,
    supervisor: SupervisorStateSchema.parse({}),
    jobs: m.conditions.map((c) => ({
      condition: c.id,
      levels: c.levels,
      job_id: null,
      status: NOT_LAUNCHED,
      start_time: null,
      end_time: null,
      duration_seconds: null,
      cost_usd: null,
      mlflow_run_id: null,
      failure_category: null,
      failure_root_cause: null,
      relaunch_batch: 0,
      attempts: [],
    })),
  };
}

/** `docker:repo@sha256:…` → `sha256:…`; a tag reference has no digest yet. */
export function imageDigest(image: string): string | null {
  const at = image.lastIndexOf('@');
  return at >= 0 && image.slice(at + 1).startsWith('sha256:') ? image.slice(at + 1) : null;
}

export const currentAttempt = (entry: JobEntry): Attempt | undefined => entry.attempts.at(-1);

export function findEntry(manifest: Manifest, condition: string): JobEntry {
  const entry = manifest.jobs.find((j) => j.condition === condition);
  if (!entry) throw new Error(`condition '${condition}' is not in the manifest of ${manifest.experiment_id}`);
  return entry;
}

/** Copy the newest attempt into the entry's summary fields; the one place they are written. */
export function syncEntry(entry: JobEntry): void {
  const a = currentAttempt(entry);
  if (!a) return;
  entry.job_id = a.job_id;
  entry.relaunch_batch = a.batch;
  entry.status =
    a.launch_state === 'launch_failed' ? LAUNCH_FAILED : a.launch_state === 'outcome_unknown' ? (a.status ?? LAUNCH_UNKNOWN) : (a.status ?? NOT_LAUNCHED);
  entry.start_time = a.start_time;
  entry.end_time = a.end_time;
  entry.duration_seconds = a.duration_seconds;
  const costs = entry.attempts.map((x) => x.cost_usd).filter((c): c is number => c !== null);
  entry.cost_usd = costs.length ? round2(costs.reduce((s, c) => s + c, 0)) : null;
  entry.failure_category = a.failure?.category ?? null;
  entry.mlflow_run_id = a.tracking?.run_id ?? null;
}

/** Record launch intents for a batch before anything is submitted. */
export function beginBatch(
  manifest: Manifest,
  batch: Omit<Batch, 'conditions'>,
  conditions: { condition: string; job_name: string }[],
  resources?: Map<string, Resources>,
): void {
  manifest.batches.push({ ...batch, conditions: conditions.map((c) => c.condition) });
  for (const { condition, job_name } of conditions) {
    const entry = findEntry(manifest, condition);
    entry.attempts.push({
      batch: batch.batch,
      job_name,
      job_id: null,
      launch_state: 'intent',
      launch_error: null,
      image: batch.docker_image,
      status: null,
      submitted_at: null,
      start_time: null,
      end_time: null,
      duration_seconds: null,
      recovery_count: 0,
      cost_usd: null,
      failure_reason: null,
      failure: null,
      cancelled_by_kill_switch: false,
      stuck_warned_at: null,
      tracking: null,
      cancel: null,
      resources: resources?.get(condition) ?? null,
      diagnosis_error: null,
    });
    syncEntry(entry);
  }
}

export type LaunchRecord = { job_id: number } | { error: string } | { unknown: string; at: string };

export function recordLaunch(manifest: Manifest, condition: string, outcome: LaunchRecord): Attempt {
  const entry = findEntry(manifest, condition);
  const attempt = currentAttempt(entry);
  if (!attempt) throw new Error(`condition '${condition}' has no launch intent`);
  if ('job_id' in outcome) {
    attempt.job_id = outcome.job_id;
    attempt.launch_state = 'launched';
    attempt.launch_error = null;
  } else if ('unknown' in outcome) {
    // A queue poll may already have found the job by name meanwhile: then it is launched.
    if (attempt.job_id === null) {
      attempt.launch_state = 'outcome_unknown';
      attempt.launch_error = outcome.unknown;
      attempt.outcome_unknown_since = outcome.at;
    }
  } else {
    attempt.launch_state = 'launch_failed';
    attempt.launch_error = outcome.error;
  }
  syncEntry(entry);
  return attempt;
}

export interface StatusChange {
  condition: string;
  job_id: number;
  from: string | null;
  to: string;
}

export interface QueueFold {
  changes: StatusChange[];
  /** Intents and ambiguous launches found in the queue by job name. */
  adopted: { condition: string; job_name: string; batch: number; job_id: number }[];
}

const iso = (unixSeconds: number | null): string | null =>
  unixSeconds === null ? null : new Date(unixSeconds * 1000).toISOString();
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Fold one `sky jobs queue` result into the manifest. Jobs are matched by job id, and intents and
 * ambiguous launches (no id yet) by job name. An ambiguous launch the queue has not shown for
 * OUTCOME_UNKNOWN_SETTLE_S after it ended (`now`) becomes a failed launch. Returns the status changes, in
 * manifest order.
 */
export function applyQueue(manifest: Manifest, records: JobRecord[], now?: Date): QueueFold {
  const byId = new Map<number, JobRecord>();
  const byName = new Map<string, JobRecord>();
  for (const r of records) {
    if (r.task_id !== 0) continue; // one condition = one single-task job; pipelines report per task
    byId.set(r.job_id, r);
    const prev = byName.get(r.job_name);
    if (!prev || r.job_id < prev.job_id) byName.set(r.job_name, r);
  }
  const changes: StatusChange[] = [];
  const adopted: QueueFold['adopted'] = [];
  for (const entry of manifest.jobs) {
    const a = currentAttempt(entry);
    if (!a || a.launch_state === 'launch_failed') continue;
    const rec = a.job_id !== null ? byId.get(a.job_id) : byName.get(a.job_name);
    if (!rec) {
      if (a.launch_state === 'outcome_unknown' && now !== undefined && settled(a, now)) {
        a.launch_state = 'launch_failed';
        a.launch_error = `${a.launch_error ?? 'the launch ended ambiguously'}; no job named ${a.job_name} appeared in the queue within ${OUTCOME_UNKNOWN_SETTLE_S / 60} min, so it was not submitted`;
        syncEntry(entry);
      }
      continue;
    }
    if (a.job_id === null) {
      a.job_id = rec.job_id;
      a.launch_state = 'launched';
      a.launch_error = null;
      adopted.push({ condition: entry.condition, job_name: a.job_name, batch: a.batch, job_id: rec.job_id });
    }
    if (a.status !== rec.status) changes.push({ condition: entry.condition, job_id: rec.job_id, from: a.status, to: rec.status });
    a.status = rec.status;
    a.submitted_at = iso(rec.submitted_at) ?? a.submitted_at;
    a.start_time = iso(rec.started_at) ?? a.start_time;
    a.end_time = iso(rec.ended_at) ?? (isTerminal(rec.status) ? a.end_time : null);
    a.duration_seconds = rec.job_duration_s ?? a.duration_seconds;
    a.recovery_count = rec.recovery_count;
    a.failure_reason = rec.failure_reason ?? a.failure_reason;
    if (a.duration_seconds !== null) {
      a.cost_usd = round2((a.duration_seconds / 3600) * manifest.hourly_rate_usd * manifest.nodes_per_job);
    }
    syncEntry(entry);
  }
  return { changes, adopted };
}

const settled = (a: Attempt, now: Date): boolean =>
  a.outcome_unknown_since != null && now.getTime() - Date.parse(a.outcome_unknown_since) >= OUTCOME_UNKNOWN_SETTLE_S * 1000;

/** Attempts of the newest batch still able to change: launched or intended, not terminal. */
export function unfinishedAttempts(manifest: Manifest): { entry: JobEntry; attempt: Attempt }[] {
  const out: { entry: JobEntry; attempt: Attempt }[] = [];
  for (const entry of manifest.jobs) {
    const a = currentAttempt(entry);
    if (a && a.launch_state !== 'launch_failed' && (a.status === null || !isTerminal(a.status))) {
      out.push({ entry, attempt: a });
    }
  }
  return out;
}

export const currentBatch = (manifest: Manifest): number => manifest.batches.at(-1)?.batch ?? 0;

export const isFailedEntry = (entry: JobEntry): boolean => entry.status === LAUNCH_FAILED || isFailure(entry.status);

export function costSoFar(manifest: Manifest): number {
  return round2(manifest.jobs.reduce((s, j) => s + (j.cost_usd ?? 0), 0));
}
