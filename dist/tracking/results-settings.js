// What answers the experiment: the tracking server its runs log to, the metrics that matter (and which way is
// better), the primary metric, and the factors that are replicates (folds, seeds) rather than treatments.
// The config's `results:` block is resolved once, at launch, into the settings the manifest keeps. Pure.
import { z } from 'zod';
const MetricSchema = z.strictObject({
    name: z.string().min(1).describe('Metric key as the training code logs it, e.g. val_dice'),
    goal: z.enum(['max', 'min']).describe('Which way is better'),
    summary: z
        .enum(['last', 'best'])
        .default('last')
        .describe("The run's value: the last logged one, or the best one over the run (by goal)"),
});
export const ResultsConfigSchema = z
    .strictObject({
    tracking_uri: z
        .string()
        .min(1)
        .optional()
        .describe('MLflow tracking server, e.g. https://mlflow.example.com; default: env.MLFLOW_TRACKING_URI of this config, else $MLFLOW_TRACKING_URI'),
    experiment_name: z
        .string()
        .min(1)
        .optional()
        .describe('MLflow experiment the runs log to; default: env.MLFLOW_EXPERIMENT_NAME of this config, else the experiment name'),
    metrics: z.array(MetricSchema).default([]).describe('Metrics read from each run once its job is terminal'),
    primary: z.string().optional().describe('The metric that ranks conditions (default: the first metric)'),
    replicates: z
        .array(z.string())
        .optional()
        .describe('Factors that repeat a condition (folds, seeds): the spread is taken over them. Default: factors named fold or seed'),
})
    .superRefine((r, ctx) => {
    const names = r.metrics.map((m) => m.name);
    names.forEach((n, i) => {
        if (names.indexOf(n) !== i)
            ctx.addIssue({ code: 'custom', path: ['metrics', i, 'name'], message: `metric '${n}' is listed twice` });
    });
    if (r.primary !== undefined && !names.includes(r.primary)) {
        ctx.addIssue({ code: 'custom', path: ['primary'], message: `'${r.primary}' is not one of the metrics (${names.join(', ') || 'none listed'})` });
    }
});
export const ResultsSettingsSchema = z.object({
    tracking_uri: z.string().nullable().describe('As configured; null: $MLFLOW_TRACKING_URI when the report is made'),
    experiment_name: z.string(),
    metrics: z.array(z.object({ name: z.string(), goal: z.enum(['max', 'min']), summary: z.enum(['last', 'best']) })),
    primary: z.string().nullable(),
    replicates: z.array(z.string()),
});
const REPLICATE_NAMES = /^(fold|folds|seed|seeds|split|rep|replicate)$/;
export function resolveResultsSettings(cfg) {
    const r = cfg.results;
    const metrics = (r?.metrics ?? []).map((m) => ({ name: m.name, goal: m.goal, summary: m.summary }));
    return {
        tracking_uri: r?.tracking_uri ?? cfg.env.MLFLOW_TRACKING_URI ?? null,
        experiment_name: r?.experiment_name ?? cfg.env.MLFLOW_EXPERIMENT_NAME ?? cfg.experiment,
        metrics,
        primary: r?.primary ?? metrics[0]?.name ?? null,
        replicates: r?.replicates ?? Object.keys(cfg.factors).filter((f) => REPLICATE_NAMES.test(f)),
    };
}
/** The results settings of a manifest; one made before skyloop read results gets the defaults. */
export function resultsSettingsOf(m) {
    return m.results ?? { tracking_uri: null, experiment_name: m.experiment_id, metrics: [], primary: null, replicates: [] };
}
/** The tracking server to read: the configured one, else MLflow's own env var; only http(s) is a server. */
export function trackingServer(settings, env) {
    const uri = settings?.tracking_uri ?? env.MLFLOW_TRACKING_URI ?? null;
    if (uri === null || uri === '') {
        return { none: 'no tracking server configured (results.tracking_uri in the config, or MLFLOW_TRACKING_URI)' };
    }
    if (!/^https?:\/\//i.test(uri))
        return { none: `the tracking URI ${JSON.stringify(uri)} is not an http(s) server skyloop can read` };
    return { uri: uri.replace(/\/+$/, '') };
}
/** The env vars every job is launched with, so the training code can tag its tracking run with them. */
export function jobIdentityEnv(experiment, condition, batch, attempt) {
    return {
        SKYLOOP_EXPERIMENT: experiment,
        SKYLOOP_CONDITION: condition,
        SKYLOOP_BATCH: String(batch),
        SKYLOOP_ATTEMPT: String(attempt),
    };
}
