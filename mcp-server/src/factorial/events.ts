// The experiment's audit trail: one typed, schema-versioned JSON object per line, appended, never rewritten.
import { z } from 'zod';

export const EVENT_SCHEMA_VERSION = 1;

const base = {
  schema_version: z.literal(EVENT_SCHEMA_VERSION),
  ts: z.string().describe('ISO 8601 time the event was written'),
  experiment_id: z.string(),
};
/** SkyPilot not answering, and answering again: the same records in a grid's log and in ralph-loop's. */
export const SKY_UNAVAILABLE = {
  type: z.literal('sky_unavailable'),
  command: z.string(),
  error: z.string().describe('The first useful line SkyPilot printed'),
  since: z.string().describe('Start of the outage'),
  first: z.boolean().describe('The first failed poll of this outage'),
};
export const SKY_RECOVERED = { type: z.literal('sky_recovered'), since: z.string(), down_s: z.number() };
const jobRef = { condition: z.string(), job_name: z.string(), batch: z.number().int() };

export const EventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('launch_intent'), batch: z.number().int(), conditions: z.array(z.string()), estimated_cost_usd: z.number() }),
  z.object({ ...base, type: z.literal('launch_started'), ...jobRef, pid: z.number().int().nullable() }),
  z.object({ ...base, type: z.literal('launched'), ...jobRef, job_id: z.number().int(), reconciled: z.boolean() }),
  z.object({ ...base, type: z.literal('launch_failed'), ...jobRef, error: z.string() }),
  z.object({ ...base, type: z.literal('launch_outcome_unknown'), ...jobRef, error: z.string() }),
  z.object({ ...base, type: z.literal('status_change'), condition: z.string(), job_id: z.number().int(), from: z.string().nullable(), to: z.string() }),
  z.object({ ...base, type: z.literal('stuck_warning'), condition: z.string(), job_id: z.number().int(), status: z.string(), for_seconds: z.number() }),
  z.object({
    ...base,
    type: z.literal('kill_switch'),
    fired: z.boolean(),
    fingerprint: z.string().nullable(),
    failed_conditions: z.array(z.string()),
    common_levels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    cancelled: z.array(z.object({ condition: z.string(), job_id: z.number().int() })),
    spared: z.array(z.object({ condition: z.string(), reason: z.string() })),
    reasons: z.array(z.string()),
  }),
  z.object({
    ...base,
    type: z.literal('aggregation'),
    batch: z.number().int(),
    failed: z.number().int(),
    root_causes: z.array(z.object({ root_cause_id: z.string(), conditions: z.number().int(), pattern: z.string() })),
    undiagnosed: z.array(z.string()),
  }),
  z.object({
    ...base,
    type: z.literal('rebuild'),
    id: z.number().int(),
    after_batch: z.number().int(),
    verified: z.boolean(),
    image: z.string(),
    digest: z.string().nullable(),
    git_commit: z.string().nullable(),
    refused_reason: z.string().nullable(),
  }),
  z.object({ ...base, type: z.literal('cycle_authorization'), max_cycles: z.number().int(), budget_usd: z.number(), reason: z.string() }),
  z.object({
    ...base,
    type: z.literal('relaunch'),
    batch: z.number().int(),
    conditions: z.array(z.string()),
    image: z.string(),
    estimated_cost_usd: z.number(),
    rules: z.array(z.string()).describe('Why each rule allowed it'),
  }),
  z.object({ ...base, type: z.literal('report'), jsonl_path: z.string(), markdown_path: z.string(), issues: z.number().int() }),
  z.object({
    ...base,
    type: z.literal('issue'),
    action: z.enum(['created', 'commented', 'draft']),
    root_cause_id: z.string(),
    fingerprint: z.string(),
    url: z.string().nullable(),
    draft_path: z.string().nullable(),
  }),
  z.object({ ...base, type: z.literal('diagnosis'), condition: z.string(), job_id: z.number().int(), category: z.string(), fingerprint: z.string(), classified_by: z.enum(['engine', 'agent']).optional() }),
  z.object({ ...base, type: z.literal('diagnosis_deferred'), condition: z.string(), job_id: z.number().int(), error: z.string() }),
  z.object({ ...base, ...SKY_UNAVAILABLE }),
  z.object({ ...base, ...SKY_RECOVERED }),
  z.object({
    ...base,
    type: z.literal('cancel'),
    by: z.enum(['kill_switch', 'supervisor', 'user']),
    reason: z.string(),
    cancelled: z.array(z.object({ condition: z.string(), job_id: z.number().int() })),
  }),
  z.object({ ...base, type: z.literal('stuck_cancelled'), condition: z.string(), job_id: z.number().int(), category: z.string().nullable(), for_seconds: z.number() }),
  z.object({
    ...base,
    type: z.literal('budget'),
    level: z.enum(['warning', 'exceeded']),
    spent_usd: z.number(),
    projected_usd: z.number().describe('Spent plus the expected cost of the jobs still running or waiting'),
    budget_usd: z.number(),
    action: z.enum(['warn', 'cancel']),
  }),
  z.object({ ...base, type: z.literal('autopilot'), batch: z.number().int(), action: z.enum(['relaunch', 'wait', 'refused']), conditions: z.array(z.string()), reason: z.string() }),
  z.object({
    ...base,
    type: z.literal('batch_terminal'),
    batch: z.number().int(),
    counts: z.record(z.string(), z.number().int()),
    cost_so_far_usd: z.number(),
    estimated_cost_usd: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('experiment_finished'),
    all_succeeded: z.boolean(),
    counts: z.record(z.string(), z.number().int()),
    cost_so_far_usd: z.number(),
    estimated_cost_usd: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('supervisor'),
    action: z.enum(['started', 'stopped', 'gave_up']),
    pid: z.number().int(),
    reason: z.string(),
    polls: z.number().int().optional().describe('Passes made by this supervisor process (stopped)'),
    cpu_s: z.number().optional().describe('CPU seconds this supervisor process used (stopped)'),
  }),
]);

export type ExperimentEvent = z.infer<typeof EventSchema>;
type Payload<E> = E extends unknown ? Omit<E, 'schema_version' | 'ts' | 'experiment_id'> : never;
export type EventPayload = Payload<ExperimentEvent>;
