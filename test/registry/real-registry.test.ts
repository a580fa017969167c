// resolveDigest against the CNCF distribution registry itself (Debian's docker-registry), with images
// pushed through its HTTP API: the digests rule F3 relies on are the ones a real registry reports.

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestExists, resolveDigest, type RegistryClientOptions } from '../../mcp-server/src/registry/registry-client.js';
import { OCI_INDEX, OCI_MANIFEST, pushImage, pushManifest, sha256Digest } from '../../mcp-server/src/simulator/registry/oci-push.js';
import { freePort, hasDockerRegistry, HTPASSWD, INSTALL_HINT, startOciRegistry, type RunningRegistry } from '../helpers/oci-registry.js';
import { tempDir } from '../helpers/paths.js';
import { rejection } from '../helpers/registry-error.js';

const available = hasDockerRegistry();
if (!available) console.warn(`real-registry tests skipped: docker-registry is not installed; ${INSTALL_HINT}`);

/** A Docker config dir of our own, so the machine's ~/.docker never answers for these registries. */
function dockerConfig(config: object = {}): RegistryClientOptions {
  const dir = tempDir('docker-config');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return { env: { ...process.env, DOCKER_CONFIG: dir } };
}


describe.skipIf(!available)(`a real registry without auth (docker-registry; ${INSTALL_HINT})`, () => {
  let reg: RunningRegistry;
  const opts = dockerConfig();
  beforeAll(async () => {
    reg = await startOciRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });
  const target = (repository: string) => ({ baseUrl: reg.baseUrl, repository });

  it('resolves a tag to the sha256 of the manifest bytes that were pushed', async () => {
    const pushed = await pushImage(target('team/train'), 'v1', { labels: { 'org.opencontainers.image.revision': 'abc123' } });
    expect(pushed.digest).toBe(sha256Digest(pushed.manifest));
    const got = await resolveDigest(`docker:${reg.host}/team/train:v1`, opts);
    expect(got).toEqual({
      digest: sha256Digest(pushed.manifest),
      media_type: OCI_MANIFEST,
      registry: reg.host,
      repository: 'team/train',
      tag: 'v1',
      size: pushed.manifest.length,
    });
    // Pinned by digest, the same manifest answers (and a tag next to the digest is ignored, as in Docker).
    expect((await resolveDigest(`${reg.host}/team/train@${pushed.digest}`, opts)).digest).toBe(pushed.digest);
    expect((await resolveDigest(`${reg.host}/team/train:other@${pushed.digest}`, opts)).tag).toBe('other');
  });

  it.each([
    ['an OCI index', OCI_INDEX, 'oci'],
    ['a Docker manifest list', 'application/vnd.docker.distribution.manifest.list.v2+json', 'docker'],
  ])('resolves %s to the digest of the index itself', async (_name, mediaType, tag) => {
    const amd = await pushImage(target('multi'), `${tag}-amd64`, { platform: { os: 'linux', architecture: 'amd64' } });
    const arm = await pushImage(target('multi'), `${tag}-arm64`, { platform: { os: 'linux', architecture: 'arm64' } });
    const entry = (img: typeof amd, architecture: string) => ({
      mediaType: OCI_MANIFEST,
      digest: img.digest,
      size: img.size,
      platform: { os: 'linux', architecture },
    });
    const index = new TextEncoder().encode(
      JSON.stringify({ schemaVersion: 2, mediaType, manifests: [entry(amd, 'amd64'), entry(arm, 'arm64')] }),
    );
    const pushedDigest = await pushManifest(target('multi'), tag, mediaType, index);
    const got = await resolveDigest(`${reg.host}/multi:${tag}`, opts);
    expect(got.digest).toBe(sha256Digest(index));
    expect(got.digest).toBe(pushedDigest);
    expect(got.media_type).toBe(mediaType);
    expect(got.digest).not.toBe(amd.digest);
  });

  it('sees a re-pushed tag move to the new digest, and the old pinned manifest stay', async () => {
    const first = await pushImage(target('app'), 'latest', { labels: { commit: '1111' } });
    expect((await resolveDigest(`${reg.host}/app`, opts)).digest).toBe(first.digest);
    const second = await pushImage(target('app'), 'latest', { labels: { commit: '2222' } });
    expect(second.digest).not.toBe(first.digest);
    expect((await resolveDigest(`${reg.host}/app:latest`, opts)).digest).toBe(second.digest);
    expect(await manifestExists(`${reg.host}/app@${first.digest}`, opts)).toBe(true);
    expect(await manifestExists(`${reg.host}/app@sha256:${'0'.repeat(64)}`, opts)).toBe(false);
  });

  it('names the reference when a tag or repository does not exist', async () => {
    await pushImage(target('exists'), 'v1');
    const tag = await rejection(resolveDigest(`docker:${reg.host}/exists:v2`, opts));
    expect(tag.kind).toBe('not_found');
    expect(tag.message).toContain(`docker:${reg.host}/exists:v2`);
    expect(tag.message).toContain("no tag 'v2'");
    const repo = await rejection(resolveDigest(`${reg.host}/never/pushed:v1`, opts));
    expect(repo.kind).toBe('not_found');
    expect(repo.message).toContain(`docker:${reg.host}/never/pushed:v1`);
  });
});

describe.skipIf(!available)(`a real registry behind htpasswd (docker-registry; ${INSTALL_HINT})`, () => {
  let reg: RunningRegistry;
  let digest: string;
  beforeAll(async () => {
    reg = await startOciRegistry({ htpasswd: true });
    digest = (await pushImage({ baseUrl: reg.baseUrl, repository: 'private/train', authorization: reg.authorization }, 'v1')).digest;
  });
  afterAll(async () => {
    await reg?.stop();
  });
  const basicAuth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

  it('without credentials: an auth error that names the reference, the config file and `docker login`', async () => {
    const opts = dockerConfig();
    const e = await rejection(resolveDigest(`${reg.host}/private/train:v1`, opts));
    expect(e.kind).toBe('auth_required');
    expect(e.message).toContain(`docker:${reg.host}/private/train:v1`);
    expect(e.message).toContain(`docker login ${reg.host}`);
    expect(e.message).toContain(join(opts.env?.DOCKER_CONFIG ?? '', 'config.json'));
  });

  it('with `auths` in $DOCKER_CONFIG/config.json: the digest resolves', async () => {
    const opts = dockerConfig({ auths: { [reg.host]: { auth: basicAuth(HTPASSWD.user, HTPASSWD.password) } } });
    expect((await resolveDigest(`docker:${reg.host}/private/train:v1`, opts)).digest).toBe(digest);
    expect(await manifestExists(`${reg.host}/private/train@${digest}`, opts)).toBe(true);
  });

  it('with a wrong password: denied, naming where the credentials came from, never the secret', async () => {
    const opts = dockerConfig({ auths: { [`https://${reg.host}`]: { auth: basicAuth(HTPASSWD.user, 'wrong-secret') } } });
    const e = await rejection(resolveDigest(`${reg.host}/private/train:v1`, opts));
    expect(e.kind).toBe('auth_denied');
    expect(e.message).toContain(`auths["https://${reg.host}"]`);
    expect(e.message).toContain(`docker login ${reg.host}`);
    expect(e.message).not.toContain('wrong-secret');
  });

  it('with a credsStore helper: runs docker-credential-<name> get and uses its answer', async () => {
    const bin = tempDir('cred-helper');
    writeFileSync(
      join(bin, 'docker-credential-skyloop-test'),
      `#!/bin/sh\nread url\n[ "$url" = "${reg.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\n` +
        `echo '{"ServerURL":"${reg.host}","Username":"${HTPASSWD.user}","Secret":"${HTPASSWD.password}"}'\n`,
    );
    chmodSync(join(bin, 'docker-credential-skyloop-test'), 0o755);
    const opts = dockerConfig({ credsStore: 'skyloop-test' });
    opts.env = { ...opts.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
    expect((await resolveDigest(`${reg.host}/private/train:v1`, opts)).digest).toBe(digest);
  });
});

describe('an unreachable registry', () => {
  it('fails fast with an "unreachable" error naming the reference', async () => {
    const port = await freePort(); // closed again: nothing listens there
    const started = Date.now();
    const e = await rejection(resolveDigest(`127.0.0.1:${port}/app:v1`, dockerConfig()));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(e.kind).toBe('unreachable');
    expect(e.message).toContain(`registry 127.0.0.1:${port} is unreachable`);
    expect(e.message).toContain(`docker:127.0.0.1:${port}/app:v1`);
    expect(e.message).toContain('connection refused');
  });
});
