// Pre-flight: does the experiment tracking server answer? GET `<url>/health` (MLflow's liveness route)
// with the credentials MLflow's own client would use: MLFLOW_TRACKING_TOKEN (bearer), else
// MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD (basic). Credentials never appear in the result,
// go only over https or to a loopback address (the URL may come from an MCP caller), and a redirect to
// another host is never followed.
import { isSafeForCredentials } from '../registry/registry-url.js';
import { checkClock, errorMessage } from './check-result.js';
function authorization(env) {
    const token = env.MLFLOW_TRACKING_TOKEN;
    if (token)
        return { header: `Bearer ${token}`, kind: 'bearer token from MLFLOW_TRACKING_TOKEN' };
    const user = env.MLFLOW_TRACKING_USERNAME;
    const password = env.MLFLOW_TRACKING_PASSWORD;
    if (user && password !== undefined) {
        return {
            header: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
            kind: 'basic auth from MLFLOW_TRACKING_USERNAME/PASSWORD',
        };
    }
    return { header: undefined, kind: 'no credentials' };
}
/** The URL without any userinfo, for messages. */
function display(url) {
    const u = new URL(url.href);
    u.username = '';
    u.password = '';
    return u.href;
}
export async function checkTrackingServer(input, deps) {
    const clock = checkClock('tracking_server');
    const fromEnv = deps.env.MLFLOW_TRACKING_URI;
    const raw = input.tracking_url ?? (fromEnv && /^https?:\/\//i.test(fromEnv) ? fromEnv : undefined);
    if (raw === undefined) {
        return clock.skipped(fromEnv
            ? 'MLFLOW_TRACKING_URI is not an http(s) URL (a file store has no server to check) and no tracking_url was given'
            : 'no tracking_url given and MLFLOW_TRACKING_URI is not set');
    }
    let url;
    try {
        const base = new URL(raw);
        if (base.protocol !== 'http:' && base.protocol !== 'https:')
            throw new Error('not http(s)');
        url = new URL(`${base.pathname.replace(/\/+$/, '')}${input.health_path ?? '/health'}`, base);
    }
    catch {
        return clock.fail(`tracking_url ${JSON.stringify(raw)} is not an http(s) URL`, 'give the server URL, e.g. http://127.0.0.1:5000');
    }
    const shown = display(url);
    const found = authorization(deps.env);
    const auth = found.header !== undefined && !mayCarryCredentials(url)
        ? { header: undefined, kind: `${found.kind} withheld: plain http to a host that is not loopback` }
        : found;
    const timeoutMs = deps.requestTimeoutMs ?? 10_000;
    const signals = [AbortSignal.timeout(timeoutMs), ...(deps.signal ? [deps.signal] : [])];
    let res;
    try {
        let at = new URL(display(url));
        for (let hops = 0;; hops++) {
            res = await fetch(at, {
                headers: auth.header === undefined || !mayCarryCredentials(at) ? {} : { Authorization: auth.header },
                redirect: 'manual',
                signal: AbortSignal.any(signals),
            });
            const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
            if (location === null)
                break;
            await res.body?.cancel();
            const next = new URL(location, at);
            if (next.host !== at.host || hops >= 5) {
                return clock.fail(`tracking server redirected GET ${display(at)} to ${display(next)}${next.host !== at.host ? ', another host: not followed' : ': too many redirects'}`, 'give the final URL of the tracking server as tracking_url');
            }
            at = next;
        }
        await res.body?.cancel();
    }
    catch (e) {
        const reason = networkReason(e, timeoutMs);
        return clock.fail(`tracking server unreachable: GET ${shown} failed (${reason})${auth.kind.includes('withheld') ? `; ${auth.kind}` : ''}`, reason === 'connection refused'
            ? `start the tracking server (e.g. \`mlflow server --host 127.0.0.1 --port ${url.port || 5000}\`) or fix tracking_url`
            : 'check the URL, the network (VPN, firewall) and that the server is up');
    }
    if (res.ok)
        return clock.pass(`GET ${shown} answered ${res.status} (${auth.kind})`, null, { status: res.status });
    if (res.status === 401 || res.status === 403) {
        return clock.fail(`tracking server refused auth: GET ${shown} answered ${res.status} (${auth.kind})`, auth.header === undefined
            ? 'set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD'
            : 'the credentials were refused: check MLFLOW_TRACKING_TOKEN / MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD', { status: res.status });
    }
    return clock.fail(`tracking server unhealthy: GET ${shown} answered HTTP ${res.status} ${res.statusText}`, res.status === 404 ? 'is this an MLflow server? its health route is /health' : 'look at the tracking server logs', { status: res.status });
}
/** Credentials travel only encrypted, or to this machine. */
const mayCarryCredentials = isSafeForCredentials;
/** Node's fetch hides the socket error in `cause`; name it the way a user would search for it. */
function networkReason(e, timeoutMs) {
    const err = e;
    if (err.name === 'TimeoutError')
        return `no answer within ${timeoutMs / 1000} s`;
    if (err.name === 'AbortError')
        return 'stopped';
    const code = err.cause?.code;
    if (code === 'ECONNREFUSED')
        return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return 'DNS lookup failed';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
        return 'connection reset';
    return err.cause?.message ?? errorMessage(e);
}
