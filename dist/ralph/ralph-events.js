// outputs/ralph_diagnoses.jsonl: every attempt of every single-job loop, even a 30-second failure, as a
// schema-versioned event. The loop's state is rebuilt from it, so a crashed run resumes.
import { z } from 'zod';
import { SKY_RECOVERED, SKY_UNAVAILABLE } from '../factorial/events.js';
export const RALPH_EVENT_SCHEMA_VERSION = 1;
export const OverridesSchema = z.object({
    infra: z.string().nullable(),
    gpus: z.string().nullable(),
    use_spot: z.boolean().nullable(),
    disk_size: z.number().int().nullable(),
    env: z.record(z.string(), z.string()),
});
const base = { schema_version: z.literal(RALPH_EVENT_SCHEMA_VERSION), ts: z.string(), run: z.string() };
export const RalphEventSchema = z.discriminatedUnion('type', [
    z.object({ ...base, type: z.literal('run_started'), settings: z.record(z.string(), z.unknown()) }),
    z.object({
        ...base,
        type: z.literal('attempt_started'),
        attempt: z.number().int(),
        job_id: z.number().int(),
        job_name: z.string(),
        task_copy: z.string(),
        overrides: OverridesSchema,
        cloud: z.string().nullable(),
        region: z.string().nullable(),
        gpu: z.string().nullable(),
        hourly_rate: z.number(),
        start_time: z.string(),
    }),
    z.object({
        ...base,
        type: z.literal('attempt_ended'),
        attempt: z.number().int(),
        job_id: z.number().int(),
        cloud: z.string().nullable(),
        region: z.string().nullable(),
        gpu: z.string().nullable(),
        hourly_rate: z.number(),
        start_time: z.string(),
        end_time: z.string(),
        duration_s: z.number(),
        cost_usd: z.number(),
        status: z.string(),
        recovery_count: z.number().int(),
        diagnosis: z
            .object({ category: z.string(), confidence: z.string(), fixability: z.string(), fingerprint: z.string(), evidence: z.string().nullable() })
            .nullable(),
        fix_applied: z.object({ kind: z.string(), description: z.string() }).nullable(),
        next_overrides: OverridesSchema.nullable().describe('What the next attempt runs with, when there is one'),
        tracking_url: z.string().nullable(),
        tracking: z
            .object({ run_id: z.string(), run_status: z.string().nullable(), metrics: z.record(z.string(), z.number()), error: z.string().nullable() })
            .nullable()
            .default(null)
            .describe("The run at tracking_url as the tracking server has it (MLFLOW_TRACKING_URI): status and each metric's latest value"),
    }),
    z.object({ ...base, ...SKY_UNAVAILABLE }),
    z.object({ ...base, ...SKY_RECOVERED }),
    z.object({
        ...base,
        type: z.literal('launch_started'),
        attempt: z.number().int(),
        job_name: z.string(),
        pid: z.number().int().nullable().describe('Of `sky jobs launch`; null when written before the spawn (a crash between the two leaves only that)'),
    }),
    z.object({
        ...base,
        type: z.literal('launch_unknown'),
        attempt: z.number().int(),
        job_name: z.string(),
        error: z.string(),
        retry: z.enum(['relaunch', 'wait', 'stop']).describe('If the queue does not show the job: launch again (SkyPilot was not reached), wait for it (a time-out), or stop'),
    }),
    z.object({ ...base, type: z.literal('diagnosis_deferred'), attempt: z.number().int(), job_id: z.number().int(), error: z.string() }),
    z.object({ ...base, type: z.literal('gave_up'), reason: z.string().describe('SkyPilot did not answer for longer than the outage window; the run resumes when started again') }),
    z.object({
        ...base,
        type: z.literal('run_stopped'),
        outcome: z.enum(['succeeded', 'unrecoverable', 'retries_exhausted', 'needs_change', 'budget', 'max_attempts', 'launch_failed']),
        reason: z.string(),
        attempts: z.number().int(),
        cost_usd: z.number(),
        issue_draft: z.string().nullable(),
    }),
]);
