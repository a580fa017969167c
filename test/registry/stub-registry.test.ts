// The client against a scripted registry on 127.0.0.1, for what a stock distribution registry will not
// do without signed JWTs or misbehaviour: the Bearer token challenge, a missing digest header, a hang.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDigest, type RegistryClientOptions } from '../../mcp-server/src/registry/registry-client.js';
import { sha256Digest } from '../../mcp-server/src/simulator/registry/oci-push.js';
import { tempDir } from '../helpers/paths.js';
import { rejection } from '../helpers/registry-error.js';

const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}');
const DIGEST = sha256Digest(MANIFEST);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  accept: string | undefined;
  body: string;
}

let server: Server;
let origin: string;
let host: string;
const seen: Seen[] = [];

/** Routes: /token (Bearer realm), /v2/bearer/* (needs a token), /v2/nodigest/*, /v2/broken/*, /v2/hang/*. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const url = new URL(req.url ?? '/', origin);
  seen.push({ method: req.method ?? '', url: url.pathname + url.search, authorization: req.headers.authorization, accept: req.headers.accept, body });

  if (url.pathname === '/token') {
    const form = new URLSearchParams(body);
    const ok =
      req.headers.authorization === basic('alice', 's3cret') ||
      (req.method === 'POST' && form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-xyz');
    const anonymous = req.method === 'GET' && req.headers.authorization === undefined;
    if (!ok && !anonymous) return void res.writeHead(401).end('{"details":"bad credentials"}');
    // Anonymous tokens get a scope the private repository refuses, as Docker Hub's do.
    const payload = ok ? { access_token: 'token-alice' } : { token: 'token-anonymous' };
    return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
  }
  const manifestHeaders = { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Content-Length': String(MANIFEST.length) };
  if (url.pathname.startsWith('/v2/bearer/')) {
    const allowed = req.headers.authorization === 'Bearer token-alice' || (url.pathname.startsWith('/v2/bearer/public/') && req.headers.authorization === 'Bearer token-anonymous');
    if (!allowed) {
      const repo = url.pathname.split('/manifests/')[0]?.slice('/v2/'.length);
      return void res
        .writeHead(401, { 'WWW-Authenticate': `Bearer realm="${origin}/token",service="stub-registry",scope="repository:${repo}:pull"` })
        .end();
    }
    return void res.writeHead(200, { ...manifestHeaders, 'Docker-Content-Digest': DIGEST }).end(req.method === 'GET' ? MANIFEST : undefined);
  }
  if (url.pathname.startsWith('/v2/nodigest/')) {
    return void res.writeHead(200, manifestHeaders).end(req.method === 'GET' ? MANIFEST : undefined);
  }
  if (url.pathname.startsWith('/v2/broken/')) return void res.writeHead(500).end('oops');
  if (url.pathname.startsWith('/v2/otherrealm/')) {
    return void res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://auth.example.invalid/token",service="x"' }).end();
  }
  if (url.pathname.startsWith('/v2/hang/')) return; // never answers
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function dockerConfig(config: object = {}): RegistryClientOptions {
  const dir = tempDir('docker-config');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return { configDir: dir };
}


describe('the Bearer token challenge', () => {
  it('gets a token from the realm with the config file credentials and retries with it', async () => {
    seen.length = 0;
    const got = await resolveDigest(`${host}/bearer/private:v1`, dockerConfig({ auths: { [host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } }));
    expect(got.digest).toBe(DIGEST);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'HEAD /v2/bearer/private/manifests/v1',
      'GET /token?service=stub-registry&scope=repository%3Abearer%2Fprivate%3Apull',
      'HEAD /v2/bearer/private/manifests/v1',
    ]);
    expect(seen[1]?.authorization).toBe(basic('alice', 's3cret'));
    expect(seen[2]?.authorization).toBe('Bearer token-alice');
    for (const type of ['oci.image.index.v1', 'oci.image.manifest.v1', 'docker.distribution.manifest.list.v2', 'docker.distribution.manifest.v2']) {
      expect(seen[0]?.accept).toContain(`application/vnd.${type}+json`);
    }
  });

  it('gets an anonymous token when there are no credentials (public images)', async () => {
    expect((await resolveDigest(`${host}/bearer/public/x:v1`, dockerConfig())).digest).toBe(DIGEST);
  });

  it('trades an identitytoken as an OAuth refresh token', async () => {
    seen.length = 0;
    const got = await resolveDigest(`${host}/bearer/private:v1`, dockerConfig({ auths: { [host]: { identitytoken: 'refresh-xyz' } } }));
    expect(got.digest).toBe(DIGEST);
    const tokenCall = seen.find((s) => s.url.startsWith('/token'));
    expect(tokenCall?.method).toBe('POST');
    expect(new URLSearchParams(tokenCall?.body).get('scope')).toBe('repository:bearer/private:pull');
  });

  it('without credentials, a private repository is an auth error that says to docker login', async () => {
    const e = await rejection(resolveDigest(`${host}/bearer/private:v1`, dockerConfig()));
    expect(e.kind).toBe('auth_required');
    expect(e.message).toContain(`docker:${host}/bearer/private:v1`);
    expect(e.message).toContain(`docker login ${host}`);
  });

  it('credentials the token endpoint rejects: denied, naming their source and not the secret', async () => {
    const e = await rejection(resolveDigest(`${host}/bearer/private:v1`, dockerConfig({ auths: { [host]: { auth: Buffer.from('alice:nope-nope').toString('base64') } } })));
    expect(e.kind).toBe('auth_denied');
    expect(e.message).toContain(`auths["${host}"]`);
    expect(e.message).not.toContain('nope-nope');
  });

  it('never sends credentials to a plain-http realm off this machine', async () => {
    const e = await rejection(resolveDigest(`${host}/otherrealm/x:v1`, dockerConfig({ auths: { [host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } })));
    expect(e.kind).toBe('auth_denied');
    expect(e.message).toContain('must be https');
  });
});

describe('other answers', () => {
  it('without Docker-Content-Digest, GETs the manifest and hashes its exact bytes', async () => {
    const got = await resolveDigest(`${host}/nodigest/x:v1`, dockerConfig());
    expect(got).toMatchObject({ digest: DIGEST, size: MANIFEST.length, media_type: 'application/vnd.oci.image.manifest.v1+json' });
  });

  it('an HTTP 500 is an unexpected response naming the reference', async () => {
    const e = await rejection(resolveDigest(`${host}/broken/x:v1`, dockerConfig()));
    expect(e.kind).toBe('unexpected_response');
    expect(e.details.status).toBe(500);
    expect(e.message).toContain(`docker:${host}/broken/x:v1`);
  });

  it('a registry that never answers is unreachable after the timeout', async () => {
    const started = Date.now();
    const e = await rejection(resolveDigest(`${host}/hang/x:v1`, { ...dockerConfig(), timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(e.kind).toBe('unreachable');
    expect(e.message).toContain('no answer within 0.3 s');
  });

  it('an unknown host is unreachable (DNS)', async () => {
    const e = await rejection(resolveDigest('no-such-registry.invalid/x:v1', dockerConfig()));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toContain('https://no-such-registry.invalid');
  });
});
