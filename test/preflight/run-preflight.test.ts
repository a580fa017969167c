// runPreflight over real local things: sky-sim as `sky`, a real registry, node:http tracking servers,
// a fake dvc on PATH and the real df. Parallelism, time limits and overrides.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../../mcp-server/src/preflight/check-result.js';
import { runPreflight } from '../../mcp-server/src/preflight/run-preflight.js';
import { pushImage } from '../../mcp-server/src/simulator/registry/oci-push.js';
import { freePort, hasDockerRegistry, startOciRegistry } from '../helpers/oci-registry.js';
import { tempDir } from '../helpers/paths.js';
import { startSimRegistry } from '../helpers/sim-registry.js';
import { binDir, mlflowHandler, simSky, startHttpServer, withPath, writeTask, type LocalServer } from './preflight-fixtures.js';

const TOKEN = 'mlflow-tok-SECRET-5e6f';
const HF_SECRET = 'hf_SECRET_value_0a1b2c';

let registry: { host: string; stop: () => Promise<unknown> };
let servers: LocalServer[] = [];
beforeAll(async () => {
  registry = hasDockerRegistry() ? await startOciRegistry() : await startSimRegistry({ SKYLOOP_SIM_HOME: tempDir('preflight-simreg') });
  await pushImage({ baseUrl: `http://${registry.host}`, repository: 'team/train' }, 'v1');
});
afterAll(async () => {
  await registry?.stop();
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function tracking(handler: Parameters<typeof startHttpServer>[0]): Promise<LocalServer> {
  const s = await startHttpServer(handler);
  servers.push(s);
  return s;
}

/** A world in which every check can pass: GCP enabled, A100:1 in the catalog, the image pushed, data in sync. */
function world(options: { clouds?: string; dvc?: string; task?: string } = {}) {
  const sim = simSky(options.clouds ?? 'aws,gcp');
  const docker = tempDir('preflight-docker');
  writeFileSync(join(docker, 'config.json'), '{}');
  const dvc = binDir({ dvc: options.dvc ?? `echo "Cache and remote 'storage' are in sync."` });
  const env = withPath({ ...sim.processEnv, DOCKER_CONFIG: docker, MLFLOW_TRACKING_TOKEN: TOKEN, HF_TOKEN: HF_SECRET }, dvc);
  delete env.MLFLOW_TRACKING_URI;
  const task = writeTask(
    options.task ?? `resources:\n  infra: gcp\n  accelerators: A100:1\n  image_id: docker:${registry.host}/team/train:v1\nrun: python train.py\n`,
  );
  return { deps: { sky: sim.sky, env }, task, outputs: tempDir('preflight-outputs') };
}

describe('runPreflight', () => {
  it('passes every check in a world where everything is ready, with the prices for the cost estimate', async () => {
    const w = world();
    const mlflow = await tracking(mlflowHandler({ token: TOKEN }));
    const r = await runPreflight(
      {
        task_yaml: w.task,
        tracking_url: mlflow.url,
        dvc_remote: 'storage',
        dvc_dir: w.outputs,
        required_env: ['HF_TOKEN'],
        min_free_disk_gb: 0,
        outputs_dir: w.outputs,
      },
      w.deps,
    );
    expect(r.checks.map((c) => [c.name, c.status])).toEqual(CHECK_NAMES.map((n) => [n, 'pass']));
    expect(r).toMatchObject({ ok: true, blocking: [], overridden: [] });
    // Cloud and GPU came from the task: GCP's A100:1.
    expect(r.checks[0]?.detail).toContain('GCP is enabled');
    expect(r.checks[1]?.data).toMatchObject({ hourly_price: 3.673, hourly_spot_price: 1.102 });
    const text = JSON.stringify(r);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(HF_SECRET);
  });

  it('fails every check in a world where nothing is ready, blocking on all seven, with a fix hint each and no secret shown', async () => {
    const w = world({ clouds: 'aws', dvc: 'printf "\\tmodified:  data/raw\\n"' });
    const mlflow = await tracking(mlflowHandler({ token: 'another-token' }));
    const r = await runPreflight(
      {
        task_yaml: w.task,
        gpu: 'B300:1',
        image: `${registry.host}/team/train:never-pushed`,
        tracking_url: mlflow.url,
        dvc_remote: 'storage',
        dvc_dir: w.outputs,
        required_env: ['HF_TOKEN', 'GITHUB_TOKEN'],
        min_free_disk_gb: 1e9,
        outputs_dir: w.outputs,
      },
      w.deps,
    );
    expect(r.ok).toBe(false);
    expect(r.blocking).toEqual([...CHECK_NAMES]);
    for (const c of r.checks) {
      expect(c.status, c.name).toBe('fail');
      expect(c.fix_hint, c.name).toBeTruthy();
    }
    const text = JSON.stringify(r);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(HF_SECRET);
  });

  it('runs the checks in parallel: the total is about the slowest check, not the sum', async () => {
    const w = world({ dvc: `sleep 1.2\necho "Cache and remote 'storage' are in sync."` });
    const slow = await tracking(mlflowHandler({ token: TOKEN, delayMs: 1_200 }));
    const started = Date.now();
    const r = await runPreflight(
      { task_yaml: w.task, tracking_url: slow.url, dvc_remote: 'storage', dvc_dir: w.outputs, min_free_disk_gb: 0, outputs_dir: w.outputs },
      w.deps,
    );
    const total = Date.now() - started;
    const byName = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    expect(byName.tracking_server?.status).toBe('pass');
    expect(byName.data_pushed?.status).toBe('pass');
    expect(byName.tracking_server?.duration_ms).toBeGreaterThanOrEqual(1_150);
    expect(byName.data_pushed?.duration_ms).toBeGreaterThanOrEqual(1_150);
    const sum = r.checks.reduce((s, c) => s + c.duration_ms, 0);
    expect(sum).toBeGreaterThan(2_400);
    // Run one after the other the total would be at least the sum; in parallel it is well below it.
    expect(total).toBeLessThan(sum);
    expect(r.ok).toBe(true);
  });

  it('fails a hung check with "timed out after N s", stops its request, and lets the others finish', async () => {
    const w = world();
    const hung = await tracking(() => {});
    // Only the hung check gets a short limit: on a busy machine the others are slow, not hung.
    const r = await runPreflight({ task_yaml: w.task, tracking_url: hung.url, min_free_disk_gb: 0, outputs_dir: w.outputs }, { ...w.deps, checkTimeoutsMs: { tracking_server: 2_000 } });
    const t = r.checks.find((c) => c.name === 'tracking_server');
    expect(t).toMatchObject({ status: 'fail', detail: 'timed out after 2 s' });
    expect(t?.fix_hint).toContain('override tracking_server');
    expect(r.blocking).toEqual(['tracking_server']);
    expect(r.checks.filter((c) => c.name !== 'tracking_server').map((c) => c.status)).not.toContain('fail');
    // The runner aborted the request: the server saw the client go away.
    await expect.poll(() => hung.abandoned, { timeout: 120_000 }).toBe(1);
  });

  it('an override makes a failing check non-blocking, recorded as overridden; the check still says fail', async () => {
    const w = world();
    const input = { task_yaml: w.task, min_free_disk_gb: 1e9, outputs_dir: w.outputs };
    const blocked = await runPreflight(input, w.deps);
    expect(blocked).toMatchObject({ ok: false, blocking: ['disk_space'], overridden: [] });
    const overridden = await runPreflight({ ...input, overrides: ['disk_space', 'data_pushed'] }, w.deps);
    expect(overridden).toMatchObject({ ok: true, blocking: [], overridden: ['disk_space'] });
    expect(overridden.checks.find((c) => c.name === 'disk_space')?.status).toBe('fail');
  });

  it('skipped checks do not block: a CPU task on the default image, no tracking server, no DVC, no env names', async () => {
    const w = world({ task: 'resources:\n  infra: aws\nrun: echo hi\n' });
    const r = await runPreflight({ task_yaml: w.task, min_free_disk_gb: 0, outputs_dir: w.outputs }, w.deps);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.status)).toEqual(['pass', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'pass']);
    for (const c of r.checks.filter((x) => x.status === 'skipped')) expect(c.detail, c.name).not.toBe('');
  });

  it('refuses an override that names no check, and a task file that cannot be read', async () => {
    const w = world();
    await expect(runPreflight({ task_yaml: w.task, overrides: ['disk'] as never }, w.deps)).rejects.toThrow(/disk_space/);
    await expect(runPreflight({ task_yaml: join(tempDir('preflight-none'), 'missing.yaml') }, w.deps)).rejects.toThrow(/missing\.yaml/);
  });

  it('an unreachable tracking server blocks the launch as "unreachable"', async () => {
    const w = world();
    const r = await runPreflight(
      { task_yaml: w.task, tracking_url: `http://127.0.0.1:${await freePort()}`, min_free_disk_gb: 0, outputs_dir: w.outputs },
      w.deps,
    );
    expect(r.blocking).toEqual(['tracking_server']);
    expect(r.checks.find((c) => c.name === 'tracking_server')?.detail).toContain('unreachable');
  });
});
