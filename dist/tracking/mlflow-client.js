// MLflow's tracking REST API (/api/2.0/mlflow/...), the part skyloop reads (experiments, runs, metric
// history) and the part the simulator's jobs write with (create a run, log a batch, end it). Credentials are
// MLflow's own env vars — MLFLOW_TRACKING_TOKEN (bearer), else MLFLOW_TRACKING_USERNAME/_PASSWORD (basic) —
// and are sent only over https or to a loopback server; they never appear in an error.
export class MlflowError extends Error {
    code;
    name = 'MlflowError';
    constructor(message, 
    /** MLflow's error_code (e.g. RESOURCE_DOES_NOT_EXIST), or HTTP_<status>, or NETWORK. */
    code) {
        super(message);
        this.code = code;
    }
}
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;
/** The Authorization header MLflow's own client would send, if credentials may go to this server at all. */
export function mlflowAuthorization(base, env) {
    if (base.protocol !== 'https:' && !LOOPBACK.test(base.hostname))
        return undefined;
    if (env.MLFLOW_TRACKING_TOKEN)
        return `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
    const user = env.MLFLOW_TRACKING_USERNAME;
    const password = env.MLFLOW_TRACKING_PASSWORD;
    if (user && password !== undefined)
        return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    return undefined;
}
/** `<base>/#/experiments/<id>/runs/<run>`: where MLflow's UI shows a run. */
export const mlflowRunUrl = (base, experimentId, runId) => `${base.replace(/\/+$/, '')}/#/experiments/${experimentId}/runs/${runId}`;
/** The server, experiment and run a run URL names (MLflow's UI route), or null. */
export function parseMlflowRunUrl(url) {
    const m = /^(https?:\/\/[^#\s]*?)\/?#\/experiments\/([^/\s]+)\/runs\/([0-9a-f]{32})\b/i.exec(url);
    return m ? { base: m[1], experiment_id: m[2], run_id: m[3] } : null;
}
export class MlflowClient {
    baseUrl;
    timeoutMs;
    base;
    auth;
    constructor(baseUrl, env = process.env, timeoutMs = 15_000) {
        this.baseUrl = baseUrl;
        this.timeoutMs = timeoutMs;
        this.base = new URL(baseUrl.replace(/\/+$/, '') + '/');
        if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:')
            throw new MlflowError(`${baseUrl} is not an http(s) tracking server`, 'BAD_URI');
        this.auth = mlflowAuthorization(this.base, env);
    }
    /** The experiment's id, or null when no experiment has that name. */
    async experimentId(name) {
        try {
            const r = await this.call('GET', 'experiments/get-by-name', { experiment_name: name });
            return r.experiment.experiment_id;
        }
        catch (e) {
            if (e instanceof MlflowError && e.code === 'RESOURCE_DOES_NOT_EXIST')
                return null;
            throw e;
        }
    }
    async createExperiment(name) {
        return (await this.call('POST', 'experiments/create', { name })).experiment_id;
    }
    /** Every run matching `filter` (MLflow's search syntax), newest first, all pages. */
    async searchRuns(experimentIds, filter, maxRuns = 5000) {
        const runs = [];
        let page_token;
        do {
            const body = { experiment_ids: experimentIds, filter, max_results: 1000, order_by: ['attributes.start_time DESC'], ...(page_token ? { page_token } : {}) };
            const r = await this.call('POST', 'runs/search', body);
            runs.push(...(r.runs ?? []));
            page_token = r.next_page_token || undefined;
        } while (page_token && runs.length < maxRuns);
        return runs;
    }
    async getRun(runId) {
        return (await this.call('GET', 'runs/get', { run_id: runId })).run;
    }
    /** Every logged value of one metric of a run. */
    async metricHistory(runId, key) {
        const out = [];
        let page_token;
        do {
            const query = { run_id: runId, metric_key: key, max_results: '25000', ...(page_token ? { page_token } : {}) };
            const r = await this.call('GET', 'metrics/get-history', query);
            out.push(...(r.metrics ?? []));
            page_token = r.next_page_token || undefined;
        } while (page_token);
        return out;
    }
    async createRun(experimentId, runName, startTimeMs, tags) {
        const body = { experiment_id: experimentId, run_name: runName, start_time: Math.round(startTimeMs), tags: Object.entries(tags).map(([key, value]) => ({ key, value })) };
        return (await this.call('POST', 'runs/create', body)).run;
    }
    /** Logs params (at most 100) and metrics in chunks: MLflow accepts at most 1000 metrics per log-batch call. */
    async logBatch(runId, metrics, params = []) {
        let i = 0;
        do {
            await this.call('POST', 'runs/log-batch', { run_id: runId, metrics: metrics.slice(i, i + 1000), ...(i === 0 ? { params } : {}) });
            i += 1000;
        } while (i < metrics.length);
    }
    async endRun(runId, status, endTimeMs) {
        await this.call('POST', 'runs/update', { run_id: runId, status, end_time: Math.round(endTimeMs) });
    }
    async call(method, endpoint, payload) {
        const url = new URL(`api/2.0/mlflow/${endpoint}`, this.base);
        const headers = {};
        if (this.auth)
            headers.Authorization = this.auth;
        let body;
        if (method === 'GET')
            for (const [k, v] of Object.entries(payload))
                url.searchParams.set(k, String(v));
        else {
            headers['Content-Type'] = 'application/json';
            body = JSON.stringify(payload);
        }
        const shown = `${method} ${url.origin}${url.pathname}`;
        let res;
        try {
            res = await fetch(url, { method, headers, body, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
        }
        catch (e) {
            const err = e;
            const why = err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : (err.cause?.code ?? err.message);
            throw new MlflowError(`tracking server unreachable: ${shown} failed (${why})`, 'NETWORK');
        }
        const text = await res.text();
        if (!res.ok) {
            let code = `HTTP_${res.status}`;
            let message = text.slice(0, 200);
            try {
                const j = JSON.parse(text);
                code = j.error_code ?? code;
                message = j.message ?? message;
            }
            catch {
                /* not JSON: keep the text */
            }
            const hint = res.status === 401 || res.status === 403 ? ' (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)' : '';
            throw new MlflowError(`${shown} answered ${res.status} ${code}: ${message}${hint}`, code);
        }
        try {
            return (text === '' ? {} : JSON.parse(text));
        }
        catch {
            throw new MlflowError(`${shown} answered ${res.status} with a body that is not JSON (is this an MLflow server?)`, 'BAD_RESPONSE');
        }
    }
}
