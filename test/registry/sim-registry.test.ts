// The simulator's registry (`sky-sim sim registry`) and pusher (`sky-sim sim push`), checked with
// skyloop's own registry client: the demo's rebuild-and-verify runs on exactly this pair.

import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestExists, resolveDigest } from '../../mcp-server/src/registry/registry-client.js';
import { OCI_INDEX, OCI_MANIFEST, pushBlob, pushImage, pushManifest, sha256Digest } from '../../mcp-server/src/simulator/registry/oci-push.js';
import { freePort } from '../helpers/oci-registry.js';
import { SKY_SIM, tempDir } from '../helpers/paths.js';
import { startSimRegistry } from '../helpers/sim-registry.js';
import { rejection } from '../helpers/registry-error.js';

const opts = { configDir: tempDir('docker-config') };

const push = (home: string, args: string[]) =>
  execa(SKY_SIM, ['sim', 'push', ...args], { env: { SKYLOOP_SIM_HOME: home, SKYLOOP_SIM_SPEED: '0' }, reject: false, stdin: 'ignore' });


describe('sky-sim sim registry + sim push', () => {
  const home = tempDir('sim-registry');
  let reg: Awaited<ReturnType<typeof startSimRegistry>>;
  beforeAll(async () => {
    reg = await startSimRegistry({ SKYLOOP_SIM_HOME: home, SKYLOOP_SIM_SPEED: '0' });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('pushes an image whose digest the registry client resolves, with the labels in its config', async () => {
    const r = await push(home, [`${reg.host}/team/train:v1`, '--label', 'org.opencontainers.image.revision=abc123', '--label', 'k=v=w']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const m = /^pushed (\S+):v1@(sha256:[a-f0-9]{64})$/.exec(String(r.stdout));
    expect(m?.[1]).toBe(`${reg.host}/team/train`);
    const digest = m?.[2] ?? '';
    const got = await resolveDigest(`docker:${reg.host}/team/train:v1`, opts);
    expect(got).toMatchObject({ digest, media_type: OCI_MANIFEST, registry: reg.host, repository: 'team/train', tag: 'v1' });

    const manifestBytes = Buffer.from(await (await fetch(`http://${reg.host}/v2/team/train/manifests/v1`)).arrayBuffer());
    expect(sha256Digest(manifestBytes)).toBe(digest);
    const manifest = JSON.parse(manifestBytes.toString()) as { config: { digest: string } };
    const config = (await (await fetch(`http://${reg.host}/v2/team/train/blobs/${manifest.config.digest}`)).json()) as { config: { Labels: object } };
    expect(config.config.Labels).toEqual({ 'org.opencontainers.image.revision': 'abc123', k: 'v=w' });
    expect(existsSync(join(home, 'registry', 'repositories', 'team', 'train', 'tags', 'v1'))).toBe(true);
  });

  it('moves the tag on a re-push and keeps the old manifest reachable by digest', async () => {
    const first = await resolveDigest(`${reg.host}/team/train:v1`, opts).catch(() => null);
    const r = await push(home, [`${reg.host}/team/train:v1`, '--label', 'org.opencontainers.image.revision=def456']);
    expect(r.exitCode).toBe(0);
    const second = await resolveDigest(`${reg.host}/team/train:v1`, opts);
    expect(String(r.stdout)).toContain(second.digest);
    expect(second.digest).not.toBe(first?.digest);
    if (first) expect(await manifestExists(`${reg.host}/team/train@${first.digest}`, opts)).toBe(true);
    expect(await manifestExists(`${reg.host}/team/train@sha256:${'1'.repeat(64)}`, opts)).toBe(false);
  });

  it('answers a missing tag or repository with not_found naming the reference', async () => {
    await push(home, [`${reg.host}/exists:v1`]);
    const tag = await rejection(resolveDigest(`${reg.host}/exists:v9`, opts));
    expect(tag.kind).toBe('not_found');
    expect(tag.message).toContain(`docker:${reg.host}/exists:v9`);
    expect((await rejection(resolveDigest(`${reg.host}/nobody/here:v1`, opts))).kind).toBe('not_found');
  });

  it('serves an OCI index over manifests it holds, and refuses one over manifests it does not', async () => {
    const target = { baseUrl: `http://${reg.host}`, repository: 'multi' };
    const a = await pushImage(target, 'amd64');
    const b = await pushImage(target, 'arm64', { platform: { os: 'linux', architecture: 'arm64' } });
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [a, b].map((img) => ({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.size })),
    }));
    await pushManifest(target, 'v1', OCI_INDEX, index);
    expect(await resolveDigest(`${reg.host}/multi:v1`, opts)).toMatchObject({ digest: sha256Digest(index), media_type: OCI_INDEX, size: index.length });
    const dangling = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: `sha256:${'2'.repeat(64)}`, size: 1 }] }));
    await expect(pushManifest(target, 'bad', OCI_INDEX, dangling)).rejects.toThrow(/MANIFEST_UNKNOWN/);
  });

  it('checks upload digests and accepts chunked (PATCH) uploads', async () => {
    const base = `http://${reg.host}/v2/chunks/blobs/uploads/`;
    const start = await fetch(base, { method: 'POST' });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get('location') ?? '', `http://${reg.host}`);
    expect((await fetch(location, { method: 'PATCH', body: 'hello ' })).headers.get('range')).toBe('0-5');
    const wrong = new URL(location);
    wrong.searchParams.set('digest', `sha256:${'3'.repeat(64)}`);
    const bad = await fetch(wrong, { method: 'PUT', body: 'world' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('DIGEST_INVALID');
    const digest = await pushBlob({ baseUrl: `http://${reg.host}`, repository: 'chunks' }, Buffer.from('hello world'));
    const head = await fetch(`http://${reg.host}/v2/chunks/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
  });

  it('keeps what was pushed across a restart on the same SKYLOOP_SIM_HOME', async () => {
    const pushed = await push(home, [`${reg.host}/durable:v1`]);
    const digest = /@(sha256:\w+)/.exec(String(pushed.stdout))?.[1];
    const port = await freePort();
    const again = await startSimRegistry({ SKYLOOP_SIM_HOME: home, SKYLOOP_SIM_SPEED: '0' }, { port });
    try {
      expect(again.firstLine).toBe(`Registry listening on http://127.0.0.1:${port}`);
      expect((await resolveDigest(`${again.host}/durable:v1`, opts)).digest).toBe(digest);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });
});

describe('sky-sim sim push errors', () => {
  const home = tempDir('sim-push');
  it('says the registry is not running when nothing listens', async () => {
    const port = await freePort();
    const r = await push(home, [`127.0.0.1:${port}/app:v1`]);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('connection refused (is `sky-sim sim registry` running?)');
  });

  it.each([['ghcr.io/org/app:v1'], ['127.0.0.1:5000/App:v1'], [`127.0.0.1:5000/app@sha256:${'a'.repeat(64)}`]])('refuses %s', async (ref) => {
    const r = await push(home, [ref]);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/^sky-sim: /);
  });

  it('needs a reference', async () => {
    const r = await push(home, []);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain("Missing argument 'REF'");
  });
});
