// The experiment config: a factorial grid described once, validated before anything is launched.
import { z } from 'zod';
import { NotifyTargetsSchema } from '../supervisor/notify/notify-targets.js';
import { ResultsConfigSchema } from '../tracking/results-settings.js';
const NAME_RULE = /^[a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const ENV_KEY_RULE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const Level = z.union([z.string().min(1), z.number(), z.boolean()]);
const positive = () => z.number({ error: 'must be a number' }).positive();
/** The experiment id rule, checked wherever an id comes in (config, CLI argument, MCP tool argument). */
export const ExperimentIdSchema = z
    .string()
    .regex(NAME_RULE, 'must start with a letter and use only letters, digits, "-", "_" and "." (SkyPilot name rule)')
    .max(40);
export const ExperimentConfigSchema = z
    .strictObject({
    experiment: ExperimentIdSchema.describe('Experiment name; prefixes every job name.'),
    factors: z
        .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'factor names are lower_snake_case'), z.array(Level).min(1))
        .refine((f) => Object.keys(f).length > 0, 'at least one factor is needed')
        .describe('Ordered factors and their levels; the grid is their cartesian product.'),
    exclude: z
        .array(z.record(z.string(), Level))
        .default([])
        .describe('Conditions that must not run: each entry matches every condition having all of its levels.'),
    task: z.string().min(1).describe('The SkyPilot task YAML, relative to this file.'),
    env_vars: z
        .record(z.string(), z.string().regex(ENV_KEY_RULE))
        .default({})
        .describe('Env var that carries each factor to the job (default: the factor name in UPPER_CASE).'),
    env: z.record(z.string().regex(ENV_KEY_RULE), z.string()).default({}).describe('Constant env for every job.'),
    image: z
        .string()
        .optional()
        .describe('`docker:<ref>`; overrides the task YAML resources.image_id. A task without a docker image is refused.'),
    cost: z
        .strictObject({
        hourly_rate_usd: positive()
            .optional()
            .describe("Price of one node-hour; default: the cheapest offer for the task's accelerators in `sky gpus list`"),
        expected_hours: positive().describe('Expected run time of one condition.'),
        budget_usd: positive().describe('Hard cap: launches whose estimate exceeds it are refused.'),
        approval_threshold_usd: z
            .number()
            .nonnegative()
            .default(20)
            .describe('Above this estimate a launch needs explicit approval.'),
        warn_at: z
            .number()
            .positive()
            .max(1)
            .default(0.8)
            .describe('While jobs run: warn (and notify, once) when spent + projected cost reaches this fraction of the budget.'),
        on_exceed: z
            .enum(['warn', 'cancel'])
            .default('warn')
            .describe('When spent + projected cost passes the budget: warn only, or cancel every job still running or waiting.'),
    })
        .describe('Cost estimate inputs and limits.'),
    monitor: z
        .strictObject({
        poll_interval_s: positive().default(60),
        stuck_after_s: positive()
            .default(1800)
            .describe("Warn when a job stays PENDING/STARTING longer than this (on SkyPilot's own submitted time)."),
        on_stuck: z
            .enum(['warn', 'cancel'])
            .default('warn')
            .describe('What the supervisor does with a stuck job: warn once, or cancel it and mark it relaunchable.'),
        heartbeat_s: positive().default(300).describe('A progress line (and nothing else) this often while nothing changes.'),
        outage_window_s: positive()
            .default(1800)
            .describe('The supervisor gives up (exit 75) only when SkyPilot has not answered for this long.'),
    })
        .prefault({}),
    kill_switch: z
        .strictObject({
        enabled: z.boolean().default(true),
        min_failures: z.number().int().min(2).default(3),
        window_s: positive().default(300),
    })
        .prefault({}),
    launch: z.strictObject({ concurrency: z.number().int().min(1).max(64).default(4) }).prefault({}),
    relaunch: z
        .strictObject({
        max_cycles: z.number().int().min(0).max(2).default(2),
        fallback: z
            .array(z.strictObject({
            infra: z.string().regex(/^[a-z0-9*][-a-z0-9/*_.]*$/i, 'infra like aws/us-east-1 or gcp').optional(),
            gpus: z.string().regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*(:\d+)?$/, 'gpus like H100:1').optional(),
            use_spot: z.boolean().optional(),
        }))
            .default([])
            .describe('Resources to relaunch a stuck (no capacity) condition on, in order: each relaunch takes the next untried entry.'),
    })
        .prefault({}),
    autopilot: z
        .strictObject({
        enabled: z.boolean().default(false),
        max_cycles: z.number().int().min(1).max(2).default(1).describe('Relaunch cycles the supervisor may start on its own.'),
    })
        .prefault({})
        .describe('Off by default. When on, a terminal batch whose failures are transient (or stuck and cancelled) is relaunched unchanged by the supervisor, through the same rules as relaunch_failed.'),
    notify: NotifyTargetsSchema,
    commands: z
        .strictObject({
        test: z.string().optional(),
        build: z.string().optional(),
        push: z.string().optional(),
        timeout_s: positive().default(1800).describe('Time limit of each command'),
    })
        .prefault({})
        .describe('Trusted commands for the rebuild step; read only from this file, never from a tool argument.'),
    results: ResultsConfigSchema.optional().describe('Where the training runs are tracked (MLflow) and which metrics answer the experiment; without it the report covers infrastructure only.'),
})
    .superRefine((cfg, ctx) => {
    const factorNames = Object.keys(cfg.factors);
    for (const [factor, levels] of Object.entries(cfg.factors)) {
        const twice = levels.find((l, i) => levels.indexOf(l) !== i);
        if (twice !== undefined)
            ctx.addIssue({ code: 'custom', path: ['factors', factor], message: `level '${twice}' is listed twice` });
    }
    for (const [i, rule] of cfg.exclude.entries()) {
        for (const [factor, level] of Object.entries(rule)) {
            if (!factorNames.includes(factor)) {
                ctx.addIssue({ code: 'custom', path: ['exclude', i, factor], message: `unknown factor '${factor}'` });
            }
            else if (!cfg.factors[factor]?.includes(level)) {
                ctx.addIssue({ code: 'custom', path: ['exclude', i, factor], message: `'${level}' is not a level of ${factor}` });
            }
        }
    }
    for (const factor of Object.keys(cfg.env_vars)) {
        if (!factorNames.includes(factor)) {
            ctx.addIssue({ code: 'custom', path: ['env_vars', factor], message: `unknown factor '${factor}'` });
        }
    }
    for (const [i, factor] of (cfg.results?.replicates ?? []).entries()) {
        if (!factorNames.includes(factor))
            ctx.addIssue({ code: 'custom', path: ['results', 'replicates', i], message: `unknown factor '${factor}'` });
    }
    if (cfg.image !== undefined && !cfg.image.startsWith('docker:')) {
        ctx.addIssue({ code: 'custom', path: ['image'], message: 'must be a docker image reference: docker:<registry>/<repo>:<tag>' });
    }
});
/** The env var that carries `factor` to the job. */
export const factorEnvVar = (cfg, factor) => cfg.env_vars[factor] ?? factor.toUpperCase();
