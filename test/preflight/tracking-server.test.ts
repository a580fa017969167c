// GET <url>/health against real node:http servers on 127.0.0.1: healthy, refusing auth, down, hung.
import { afterEach, describe, expect, it } from 'vitest';
import { checkTrackingServer } from '../../mcp-server/src/preflight/tracking-server.js';
import { freePort } from '../helpers/oci-registry.js';
import { mlflowHandler, startHttpServer, type LocalServer } from './preflight-fixtures.js';

const TOKEN = 'tok-9f8e7d6c5b4a-SECRET';
const PASSWORD = 'pw-SECRET-1234';
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('tracking_server', () => {
  it('passes on 200 from /health, sending MLFLOW_TRACKING_TOKEN as a bearer token', async () => {
    server = await startHttpServer(mlflowHandler({ token: TOKEN }));
    const r = await checkTrackingServer({ tracking_url: `${server.url}/` }, { env: { MLFLOW_TRACKING_TOKEN: TOKEN } });
    expect(r).toMatchObject({ name: 'tracking_server', status: 'pass', fix_hint: null, data: { status: 200 } });
    expect(server.requests).toEqual([{ method: 'GET', path: '/health', authorization: `Bearer ${TOKEN}` }]);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('sends MLFLOW_TRACKING_USERNAME/PASSWORD as basic auth, keeps a path prefix, and never shows the password', async () => {
    server = await startHttpServer((_req, res) => res.writeHead(200).end('OK'));
    const r = await checkTrackingServer(
      { tracking_url: `${server.url}/mlflow` },
      { env: { MLFLOW_TRACKING_USERNAME: 'admin', MLFLOW_TRACKING_PASSWORD: PASSWORD } },
    );
    expect(r.status).toBe('pass');
    expect(server.requests[0]?.path).toBe('/mlflow/health');
    expect(server.requests[0]?.authorization).toBe(`Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
    expect(JSON.stringify(r)).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString('base64'));
  });

  it('fails "auth" on 401 without credentials and with wrong ones, never showing the token', async () => {
    server = await startHttpServer(mlflowHandler({ token: TOKEN }));
    const none = await checkTrackingServer({ tracking_url: server.url }, { env: {} });
    expect(none.status).toBe('fail');
    expect(none.detail).toContain('refused auth');
    expect(none.detail).toContain('401');
    expect(none.fix_hint).toContain('set MLFLOW_TRACKING_TOKEN');
    const wrong = await checkTrackingServer({ tracking_url: server.url }, { env: { MLFLOW_TRACKING_TOKEN: 'wrong-SECRET-token' } });
    expect(wrong.status).toBe('fail');
    expect(wrong.fix_hint).toContain('credentials were refused');
    expect(JSON.stringify(wrong)).not.toContain('wrong-SECRET-token');
  });

  it('fails "auth" on 403 too', async () => {
    server = await startHttpServer((_req, res) => res.writeHead(403).end('forbidden'));
    const r = await checkTrackingServer({ tracking_url: server.url }, { env: {} });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('refused auth');
  });

  it('fails "unreachable" when nothing listens on the port', async () => {
    const port = await freePort();
    const r = await checkTrackingServer({ tracking_url: `http://127.0.0.1:${port}` }, { env: {} });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('unreachable');
    expect(r.detail).toContain('connection refused');
    expect(r.fix_hint).toContain(`--port ${port}`);
  });

  it('fails "unhealthy" on a 5xx, and says where the health route is on a 404', async () => {
    server = await startHttpServer((req, res) => res.writeHead(req.url === '/health' ? 503 : 404).end());
    const r = await checkTrackingServer({ tracking_url: server.url }, { env: {} });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('HTTP 503');
    const notMlflow = await checkTrackingServer({ tracking_url: server.url, health_path: '/healthz' }, { env: {} });
    expect(notMlflow.fix_hint).toContain('/health');
  });

  it('fails with "no answer" when the server hangs past the request time limit', async () => {
    server = await startHttpServer(() => {});
    const r = await checkTrackingServer({ tracking_url: server.url }, { env: {}, requestTimeoutMs: 300 });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('no answer within 0.3 s');
  });

  it('uses an http MLFLOW_TRACKING_URI when no URL is given; is skipped for none or a file store', async () => {
    server = await startHttpServer(mlflowHandler());
    expect((await checkTrackingServer({}, { env: { MLFLOW_TRACKING_URI: server.url } })).status).toBe('pass');
    const none = await checkTrackingServer({}, { env: {} });
    expect(none).toMatchObject({ status: 'skipped', fix_hint: null });
    expect(none.detail).toContain('no tracking_url');
    const file = await checkTrackingServer({}, { env: { MLFLOW_TRACKING_URI: 'file:///tmp/mlruns' } });
    expect(file.status).toBe('skipped');
    expect(file.detail).toContain('file store');
  });

  it('fails on a URL that is not http(s)', async () => {
    const r = await checkTrackingServer({ tracking_url: 'ftp://example.com' }, { env: {} });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('not an http(s) URL');
  });
});
