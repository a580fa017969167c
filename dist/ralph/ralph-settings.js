// Settings of one single-job loop (ralph-loop), from CLI flags or tool arguments.
import { z } from 'zod';
export const RalphSettingsSchema = z.object({
    task_yaml: z.string().describe('The SkyPilot task YAML (never modified: fixes go to a copy)'),
    name: z
        .string()
        .regex(/^[a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/)
        .optional()
        .describe('Run name; jobs are <name>-a<attempt>. Default: the task name'),
    budget_usd: z.number().positive().default(5).describe('Stop before a launch whose expected cost would pass it'),
    infra: z
        .array(z.string())
        .default([])
        .describe('Ordered cloud/region list to rotate through on GPU_SOLD_OUT, cheap and less contended first'),
    gpus: z.array(z.string()).default([]).describe('Ordered GPU fallbacks (e.g. A100:1, L4:1) once the regions are exhausted'),
    batch_size_env: z.string().optional().describe('Env var halved on OOM_CUDA, e.g. BATCH_SIZE'),
    hourly_rate_usd: z.number().positive().optional().describe('Override of the catalog price (sky gpus list)'),
    expected_hours: z.number().positive().default(1).describe('Expected run time, for the budget check'),
    poll_interval_s: z.number().positive().default(30),
    stuck_after_s: z
        .number()
        .positive()
        .default(1800)
        .describe("PENDING/STARTING this long on SkyPilot's submitted time: cancelled and diagnosed from the controller log (usually GPU_SOLD_OUT: rotate)"),
    outage_window_s: z
        .number()
        .positive()
        .default(1800)
        .describe('SkyPilot not answering is waited out, never counted as a failure; `ralph run` gives up (exit 75, resumable) only after this long'),
    notify_config: z
        .string()
        .optional()
        .describe("A YAML file whose notify: list (an experiment config's format) says who is told: stuck job, outage and recovery, each failed attempt, the end"),
    max_retries_per_category: z.number().int().min(0).default(3),
    max_attempts: z.number().int().min(1).default(10),
    preemptions_before_on_demand: z.number().int().min(0).default(3).describe('More preemptions than this: switch to on-demand'),
});
