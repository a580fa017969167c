// The image check against a real registry: CNCF distribution (`docker-registry`) when installed, else the
// simulator's registry (`sky-sim sim registry`); images are pushed over the registry HTTP API.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImageInRegistry } from '../../mcp-server/src/preflight/image-in-registry.js';
import { resolveDigest } from '../../mcp-server/src/registry/registry-client.js';
import { pushImage } from '../../mcp-server/src/simulator/registry/oci-push.js';
import { freePort, hasDockerRegistry, INSTALL_HINT, startOciRegistry } from '../helpers/oci-registry.js';
import { tempDir } from '../helpers/paths.js';
import { startSimRegistry } from '../helpers/sim-registry.js';

const real = hasDockerRegistry();
if (!real) console.warn(`image check tests use the simulator's registry: docker-registry is not installed; ${INSTALL_HINT}`);

/** An env whose Docker config is our own, so the machine's ~/.docker never answers for these registries. */
function isolatedEnv(): NodeJS.ProcessEnv {
  const dir = tempDir('preflight-docker');
  writeFileSync(join(dir, 'config.json'), '{}');
  return { ...process.env, DOCKER_CONFIG: dir };
}

describe(`image_in_registry against ${real ? 'docker-registry' : 'sky-sim sim registry'}`, () => {
  let host: string;
  let stop: () => Promise<void>;
  let digest: string;
  const env = isolatedEnv();
  const deps = { resolveDigest, env };
  beforeAll(async () => {
    const reg = real ? await startOciRegistry() : await startSimRegistry({ SKYLOOP_SIM_HOME: tempDir('preflight-simreg') });
    host = reg.host;
    stop = async () => {
      await reg.stop();
    };
    digest = (await pushImage({ baseUrl: `http://${host}`, repository: 'team/train' }, 'v1')).digest;
  });
  afterAll(async () => {
    await stop?.();
  });

  it('passes for a pushed tag, with its digest', async () => {
    const r = await checkImageInRegistry({ image: `docker:${host}/team/train:v1`, is_docker: true }, deps);
    expect(r).toMatchObject({ name: 'image_in_registry', status: 'pass', fix_hint: null, data: { digest, registry: host } });
    expect(r.detail).toContain(`${host}/team/train:v1 exists`);
  });

  it('fails for a tag that was never pushed, hinting to push it', async () => {
    const r = await checkImageInRegistry({ image: `docker:${host}/team/train:v2`, is_docker: true }, deps);
    expect(r.status).toBe('fail');
    expect(r.detail).toContain("no tag 'v2'");
    expect(r.fix_hint).toContain(`docker push ${host}/team/train:v2`);
    expect(r.data).toEqual({ kind: 'not_found' });
  });

  it('fails "unreachable" when no registry listens there', async () => {
    const r = await checkImageInRegistry({ image: `127.0.0.1:${await freePort()}/team/train:v1`, is_docker: true }, deps);
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('connection refused');
    expect(r.data).toEqual({ kind: 'unreachable' });
  });

  it('fails on a reference that is not one', async () => {
    const r = await checkImageInRegistry({ image: 'docker:Not A/Reference', is_docker: true }, deps);
    expect(r.status).toBe('fail');
    expect(r.fix_hint).toContain('fix image_id');
  });

  it('is skipped with a reason without an image or for a non-docker image', async () => {
    const none = await checkImageInRegistry({ image: null, is_docker: false }, deps);
    expect(none).toMatchObject({ status: 'skipped', fix_hint: null });
    expect(none.detail).toContain('no image_id');
    const ami = await checkImageInRegistry({ image: 'ami-0123456789abcdef0', is_docker: false }, deps);
    expect(ami.status).toBe('skipped');
    expect(ami.detail).toContain('not a Docker image');
  });
});

describe.skipIf(!real)(`image_in_registry against docker-registry behind htpasswd (${INSTALL_HINT})`, () => {
  let reg: Awaited<ReturnType<typeof startOciRegistry>>;
  beforeAll(async () => {
    reg = await startOciRegistry({ htpasswd: true });
    await pushImage({ baseUrl: reg.baseUrl, repository: 'private/train', authorization: reg.authorization }, 'v1');
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('fails with `docker login` when there are no credentials for the registry', async () => {
    const r = await checkImageInRegistry({ image: `${reg.host}/private/train:v1`, is_docker: true }, { resolveDigest, env: isolatedEnv() });
    expect(r.status).toBe('fail');
    expect(r.data).toEqual({ kind: 'auth_required' });
    expect(r.fix_hint).toContain('docker login');
  });
});
