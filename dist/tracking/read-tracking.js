import { MlflowClient, mlflowRunUrl, parseMlflowRunUrl } from './mlflow-client.js';
import { runOfAttempt, summarizeMetric, TAG } from './run-metrics.js';
/** Metrics kept per run when the config names none: enough for a look, bounded for the manifest. */
const UNCONFIGURED_METRICS_KEPT = 20;
export async function readTracking(experimentId, serverUri, settings, attempts, deps) {
    const out = new Map();
    const readAt = deps.now().toISOString();
    const blank = (error, found = {}) => ({
        run_id: null, run_url: null, run_status: null, found_by: null, metrics: Object.fromEntries(settings.metrics.map((m) => [m.name, null])),
        read_at: readAt, error, ...found,
    });
    let client;
    let tagged = [];
    let searchError = null;
    try {
        client = new MlflowClient(serverUri, deps.env);
    }
    catch (e) {
        for (const a of attempts)
            out.set(a, blank(e.message));
        return out;
    }
    try {
        const expId = await client.experimentId(settings.experiment_name);
        if (expId === null)
            searchError = `no MLflow experiment named '${settings.experiment_name}' on ${serverUri}`;
        else
            tagged = await client.searchRuns([expId], `tags.${TAG.experiment} = '${experimentId.replace(/'/g, "\\'")}'`);
    }
    catch (e) {
        searchError = e.message;
    }
    for (const a of attempts) {
        try {
            const run = runOfAttempt(tagged, a.condition, a.batch);
            if (run) {
                out.set(a, await describeRun(client, serverUri, run, 'tags', settings, readAt));
                continue;
            }
            const printed = a.job_id === null ? null : await deps.runUrlInLog(a.job_id);
            const parsed = printed ? parseMlflowRunUrl(printed) : null;
            const notTagged = searchError ?? `no run tagged ${TAG.condition}=${a.condition}, ${TAG.batch}=${a.batch}`;
            if (!printed) {
                out.set(a, blank(`${notTagged}, and the job's log names no run URL`));
            }
            else if (!parsed || new URL(parsed.base).origin !== new URL(serverUri).origin) {
                out.set(a, blank(`${notTagged}; the log's run URL is not on ${serverUri}, so its metrics were not read`, { run_url: printed, found_by: 'log_url', run_id: parsed?.run_id ?? null }));
            }
            else {
                const described = await describeRun(client, serverUri, await client.getRun(parsed.run_id), 'log_url', settings, readAt);
                out.set(a, { ...described, run_url: printed });
            }
        }
        catch (e) {
            out.set(a, blank(e.message));
        }
    }
    return out;
}
async function describeRun(client, serverUri, run, foundBy, settings, readAt) {
    const latest = run.data.metrics ?? [];
    const metrics = {};
    if (settings.metrics.length === 0) {
        for (const m of latest.slice(0, UNCONFIGURED_METRICS_KEPT))
            metrics[m.key] = Number.isFinite(m.value) ? m.value : null;
    }
    for (const spec of settings.metrics) {
        // runs/search already returns each metric's latest value; only "best" needs the whole history.
        const history = spec.summary === 'best' ? await client.metricHistory(run.info.run_id, spec.name) : latest.filter((m) => m.key === spec.name);
        metrics[spec.name] = summarizeMetric(history, spec);
    }
    return {
        run_id: run.info.run_id,
        run_url: mlflowRunUrl(serverUri, run.info.experiment_id, run.info.run_id),
        run_status: run.info.status,
        found_by: foundBy,
        metrics,
        read_at: readAt,
        error: null,
    };
}
/**
 * The run a job printed the URL of (`View run … at: <url>`), read from the tracking server when that URL is
 * on the configured one ($MLFLOW_TRACKING_URI); never from a server the log alone names.
 */
export async function readPrintedRun(url, env) {
    const parsed = parseMlflowRunUrl(url);
    if (!parsed)
        return null;
    const configured = env.MLFLOW_TRACKING_URI;
    const none = (error) => ({ run_id: parsed.run_id, run_status: null, metrics: {}, error });
    if (!configured || !/^https?:\/\//i.test(configured))
        return none('MLFLOW_TRACKING_URI is not set to the tracking server, so the run was not read');
    if (new URL(configured).origin !== new URL(parsed.base).origin)
        return none(`the run is not on MLFLOW_TRACKING_URI (${new URL(configured).origin})`);
    try {
        const run = await new MlflowClient(configured, env).getRun(parsed.run_id);
        const metrics = Object.fromEntries((run.data.metrics ?? []).filter((m) => Number.isFinite(m.value)).slice(0, UNCONFIGURED_METRICS_KEPT).map((m) => [m.key, m.value]));
        return { run_id: run.info.run_id, run_status: run.info.status, metrics, error: null };
    }
    catch (e) {
        return none(e.message);
    }
}
