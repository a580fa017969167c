// Finds each terminal attempt's tracking run and reads its metrics: one runs/search for the experiment's
// tagged runs (SKYLOOP_EXPERIMENT), matched per attempt by SKYLOOP_CONDITION + SKYLOOP_BATCH; an attempt with
// no tagged run falls back to the `View run … at: <url>` line its job printed. Errors are recorded per
// attempt, never thrown: results are a report's extra, not a reason for a poll to fail.
import type { Tracking } from '../factorial/manifest.js';
import { MlflowClient, mlflowRunUrl, parseMlflowRunUrl, type MlflowRun } from './mlflow-client.js';
import type { ResultsSettings } from './results-settings.js';
import { runOfAttempt, summarizeMetric, TAG } from './run-metrics.js';

export interface AttemptToRead {
  condition: string;
  batch: number;
  job_id: number | null;
}

export interface TrackingDeps {
  /** The job's log lines, for the run URL it printed (null: no log). */
  runUrlInLog: (jobId: number) => Promise<string | null>;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

/** Metrics kept per run when the config names none: enough for a look, bounded for the manifest. */
const UNCONFIGURED_METRICS_KEPT = 20;

export async function readTracking(
  experimentId: string,
  serverUri: string,
  settings: ResultsSettings,
  attempts: AttemptToRead[],
  deps: TrackingDeps,
): Promise<Map<AttemptToRead, Tracking>> {
  const out = new Map<AttemptToRead, Tracking>();
  const readAt = deps.now().toISOString();
  const blank = (error: string | null, found: Partial<Tracking> = {}): Tracking => ({
    run_id: null, run_url: null, run_status: null, found_by: null, metrics: Object.fromEntries(settings.metrics.map((m) => [m.name, null])),
    read_at: readAt, error, ...found,
  });
  let client: MlflowClient;
  let tagged: MlflowRun[] = [];
  let searchError: string | null = null;
  try {
    client = new MlflowClient(serverUri, deps.env);
  } catch (e) {
    for (const a of attempts) out.set(a, blank((e as Error).message));
    return out;
  }
  try {
    const expId = await client.experimentId(settings.experiment_name);
    if (expId === null) searchError = `no MLflow experiment named '${settings.experiment_name}' on ${serverUri}`;
    else tagged = await client.searchRuns([expId], `tags.${TAG.experiment} = '${experimentId.replace(/'/g, "\\'")}'`);
  } catch (e) {
    searchError = (e as Error).message;
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
      } else if (!parsed || new URL(parsed.base).origin !== new URL(serverUri).origin) {
        out.set(a, blank(`${notTagged}; the log's run URL is not on ${serverUri}, so its metrics were not read`, { run_url: printed, found_by: 'log_url', run_id: parsed?.run_id ?? null }));
      } else {
        const described = await describeRun(client, serverUri, await client.getRun(parsed.run_id), 'log_url', settings, readAt);
        out.set(a, { ...described, run_url: printed });
      }
    } catch (e) {
      out.set(a, blank((e as Error).message));
    }
  }
  return out;
}

async function describeRun(client: MlflowClient, serverUri: string, run: MlflowRun, foundBy: Tracking['found_by'], settings: ResultsSettings, readAt: string): Promise<Tracking> {
  const latest = run.data.metrics ?? [];
  const metrics: Record<string, number | null> = {};
  if (settings.metrics.length === 0) {
    for (const m of latest.slice(0, UNCONFIGURED_METRICS_KEPT)) metrics[m.key] = Number.isFinite(m.value) ? m.value : null;
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

export interface PrintedRun {
  run_id: string;
  run_status: string | null;
  /** Each metric's latest value (at most 20). */
  metrics: Record<string, number>;
  error: string | null;
}

/**
 * The run a job printed the URL of (`View run … at: <url>`), read from the tracking server when that URL is
 * on the configured one ($MLFLOW_TRACKING_URI); never from a server the log alone names.
 */
export async function readPrintedRun(url: string, env: NodeJS.ProcessEnv): Promise<PrintedRun | null> {
  const parsed = parseMlflowRunUrl(url);
  if (!parsed) return null;
  const configured = env.MLFLOW_TRACKING_URI;
  const none = (error: string): PrintedRun => ({ run_id: parsed.run_id, run_status: null, metrics: {}, error });
  if (!configured || !/^https?:\/\//i.test(configured)) return none('MLFLOW_TRACKING_URI is not set to the tracking server, so the run was not read');
  if (new URL(configured).origin !== new URL(parsed.base).origin) return none(`the run is not on MLFLOW_TRACKING_URI (${new URL(configured).origin})`);
  try {
    const run = await new MlflowClient(configured, env).getRun(parsed.run_id);
    const metrics = Object.fromEntries((run.data.metrics ?? []).filter((m) => Number.isFinite(m.value)).slice(0, UNCONFIGURED_METRICS_KEPT).map((m) => [m.key, m.value]));
    return { run_id: run.info.run_id, run_status: run.info.status, metrics, error: null };
  } catch (e) {
    return none((e as Error).message);
  }
}
