// MLflow's tracking REST API (/api/2.0/mlflow/...), the part skyloop reads (experiments, runs, metric
// history) and the part the simulator's jobs write with (create a run, log a batch, end it). Credentials are
// MLflow's own env vars — MLFLOW_TRACKING_TOKEN (bearer), else MLFLOW_TRACKING_USERNAME/_PASSWORD (basic) —
// and are sent only over https or to a loopback server; they never appear in an error.

export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface MlflowRun {
  info: {
    run_id: string;
    experiment_id: string;
    run_name?: string;
    status: string;
    start_time?: number;
    end_time?: number;
  };
  data: { metrics?: MlflowMetric[]; tags?: { key: string; value: string }[] };
}

export class MlflowError extends Error {
  override readonly name = 'MlflowError';
  constructor(
    message: string,
    /** MLflow's error_code (e.g. RESOURCE_DOES_NOT_EXIST), or HTTP_<status>, or NETWORK. */
    readonly code: string,
  ) {
    super(message);
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** The Authorization header MLflow's own client would send, if credentials may go to this server at all. */
export function mlflowAuthorization(base: URL, env: NodeJS.ProcessEnv): string | undefined {
  if (base.protocol !== 'https:' && !LOOPBACK.test(base.hostname)) return undefined;
  if (env.MLFLOW_TRACKING_TOKEN) return `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  const user = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (user && password !== undefined) return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return undefined;
}

/** `<base>/#/experiments/<id>/runs/<run>`: where MLflow's UI shows a run. */
export const mlflowRunUrl = (base: string, experimentId: string, runId: string): string =>
  `${base.replace(/\/+$/, '')}/#/experiments/${experimentId}/runs/${runId}`;

/** The server, experiment and run a run URL names (MLflow's UI route), or null. */
export function parseMlflowRunUrl(url: string): { base: string; experiment_id: string; run_id: string } | null {
  const m = /^(https?:\/\/[^#\s]*?)\/?#\/experiments\/([^/\s]+)\/runs\/([0-9a-f]{32})\b/i.exec(url);
  return m ? { base: m[1]!, experiment_id: m[2]!, run_id: m[3]! } : null;
}

export class MlflowClient {
  private readonly base: URL;
  private readonly auth: string | undefined;

  constructor(
    readonly baseUrl: string,
    env: NodeJS.ProcessEnv = process.env,
    private readonly timeoutMs = 15_000,
  ) {
    this.base = new URL(baseUrl.replace(/\/+$/, '') + '/');
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new MlflowError(`${baseUrl} is not an http(s) tracking server`, 'BAD_URI');
    this.auth = mlflowAuthorization(this.base, env);
  }

  /** The experiment's id, or null when no experiment has that name. */
  async experimentId(name: string): Promise<string | null> {
    try {
      const r = await this.call<{ experiment: { experiment_id: string } }>('GET', 'experiments/get-by-name', { experiment_name: name });
      return r.experiment.experiment_id;
    } catch (e) {
      if (e instanceof MlflowError && e.code === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw e;
    }
  }

  async createExperiment(name: string): Promise<string> {
    return (await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name })).experiment_id;
  }

  /** Every run matching `filter` (MLflow's search syntax), newest first, all pages. */
  async searchRuns(experimentIds: string[], filter: string, maxRuns = 5000): Promise<MlflowRun[]> {
    const runs: MlflowRun[] = [];
    let page_token: string | undefined;
    do {
      const body = { experiment_ids: experimentIds, filter, max_results: 1000, order_by: ['attributes.start_time DESC'], ...(page_token ? { page_token } : {}) };
      const r = await this.call<{ runs?: MlflowRun[]; next_page_token?: string }>('POST', 'runs/search', body);
      runs.push(...(r.runs ?? []));
      page_token = r.next_page_token || undefined;
    } while (page_token && runs.length < maxRuns);
    return runs;
  }

  async getRun(runId: string): Promise<MlflowRun> {
    return (await this.call<{ run: MlflowRun }>('GET', 'runs/get', { run_id: runId })).run;
  }

  /** Every logged value of one metric of a run. */
  async metricHistory(runId: string, key: string): Promise<MlflowMetric[]> {
    const out: MlflowMetric[] = [];
    let page_token: string | undefined;
    do {
      const query: Record<string, string> = { run_id: runId, metric_key: key, max_results: '25000', ...(page_token ? { page_token } : {}) };
      const r = await this.call<{ metrics?: MlflowMetric[]; next_page_token?: string }>('GET', 'metrics/get-history', query);
      out.push(...(r.metrics ?? []));
      page_token = r.next_page_token || undefined;
    } while (page_token);
    return out;
  }

  async createRun(experimentId: string, runName: string, startTimeMs: number, tags: Record<string, string>): Promise<MlflowRun> {
    const body = { experiment_id: experimentId, run_name: runName, start_time: Math.round(startTimeMs), tags: Object.entries(tags).map(([key, value]) => ({ key, value })) };
    return (await this.call<{ run: MlflowRun }>('POST', 'runs/create', body)).run;
  }

  /** Logs params (at most 100) and metrics in chunks: MLflow accepts at most 1000 metrics per log-batch call. */
  async logBatch(runId: string, metrics: MlflowMetric[], params: { key: string; value: string }[] = []): Promise<void> {
    let i = 0;
    do {
      await this.call('POST', 'runs/log-batch', { run_id: runId, metrics: metrics.slice(i, i + 1000), ...(i === 0 ? { params } : {}) });
      i += 1000;
    } while (i < metrics.length);
  }

  async endRun(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED', endTimeMs: number): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status, end_time: Math.round(endTimeMs) });
  }

  private async call<T>(method: 'GET' | 'POST', endpoint: string, payload: Record<string, unknown>): Promise<T> {
    const url = new URL(`api/2.0/mlflow/${endpoint}`, this.base);
    const headers: Record<string, string> = {};
    if (this.auth) headers.Authorization = this.auth;
    let body: string | undefined;
    if (method === 'GET') for (const [k, v] of Object.entries(payload)) url.searchParams.set(k, String(v));
    else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(payload);
    }
    const shown = `${method} ${url.origin}${url.pathname}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const why = err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : (err.cause?.code ?? err.message);
      throw new MlflowError(`tracking server unreachable: ${shown} failed (${why})`, 'NETWORK');
    }
    const text = await res.text();
    if (!res.ok) {
      let code = `HTTP_${res.status}`;
      let message = text.slice(0, 200);
      try {
        const j = JSON.parse(text) as { error_code?: string; message?: string };
        code = j.error_code ?? code;
        message = j.message ?? message;
      } catch {
        /* not JSON: keep the text */
      }
      const hint = res.status === 401 || res.status === 403 ? ' (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)' : '';
      throw new MlflowError(`${shown} answered ${res.status} ${code}: ${message}${hint}`, code);
    }
    try {
      return (text === '' ? {} : JSON.parse(text)) as T;
    } catch {
      throw new MlflowError(`${shown} answered ${res.status} with a body that is not JSON (is this an MLflow server?)`, 'BAD_RESPONSE');
    }
  }
}
