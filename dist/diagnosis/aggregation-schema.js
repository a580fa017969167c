// The shape of an F2 aggregation, stored in the manifest and returned by aggregate_failures.
import { z } from 'zod';
const Level = z.union([z.string(), z.number(), z.boolean()]);
export const RootCauseSchema = z.object({
    root_cause_id: z.string().describe('Failure category id'),
    description: z.string(),
    affected_jobs: z.array(z.number().int()),
    conditions: z.array(z.string()),
    cancelled_by_kill_switch: z.array(z.string()).describe('Conditions cancelled because they share this cause'),
    fix_strategy: z.string(),
    affected_files: z.array(z.string()),
    confidence: z.enum(['high', 'medium', 'low']).describe('The lowest confidence among the jobs'),
    fixability: z.string(),
    pattern: z.string().describe('Where the cause lives, e.g. "model-specific (model=sam3)" or "infrastructure (every condition)"'),
    shared_levels: z.record(z.string(), Level),
    fingerprints: z.array(z.string()),
    evidence: z.string().nullable(),
    classified_by_agent: z.array(z.string()).optional().describe('Conditions the agent classified (the engine was not confident)'),
});
export const AggregationSchema = z.object({
    batch: z.number().int(),
    created_at: z.string(),
    failed: z.number().int(),
    root_causes: z.array(RootCauseSchema).describe('Most affected jobs first'),
    undiagnosed: z
        .array(z.object({ condition: z.string(), job_id: z.number().int().nullable(), status: z.string(), reason: z.string() }))
        .describe('Failures no pattern explains: listed, never dismissed'),
});
