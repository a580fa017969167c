// `sky gpus list NAME:COUNT` against the real simulator executable (run as $SKYLOOP_SKY_BIN).
import { describe, expect, it } from 'vitest';
import { checkGpuAvailability, parseGpuTable } from '../../mcp-server/src/preflight/gpu-availability.js';
import { defaultRunSky } from '../../mcp-server/src/preflight/run-sky.js';
import { simSky } from './preflight-fixtures.js';

const runSky = defaultRunSky(simSky().processEnv);

describe('gpu_availability against sky-sim', () => {
  it('passes for A100:1 with the cheapest on-demand and spot prices, cloud and region', async () => {
    const r = await checkGpuAvailability({ gpus: ['A100:1'] }, { runSky });
    expect(r.status).toBe('pass');
    expect(r.data).toMatchObject({
      hourly_price: 3.673,
      hourly_spot_price: 1.102,
      cheapest: { gpu: 'A100', qty: 1, cloud: 'GCP', region: 'us-central1', instance_type: 'a2-highgpu-1g' },
    });
    expect(r.detail).toContain('on-demand $3.673/h (A100:1 on GCP us-central1)');
    expect(r.detail).toContain('spot $1.102/h');
  });

  it('picks the cheapest row of each kind across clouds (H100:8: Lambda on-demand, AWS spot)', async () => {
    const r = await checkGpuAvailability({ gpus: ['H100:8'] }, { runSky });
    expect(r.status).toBe('pass');
    expect(r.data).toMatchObject({
      hourly_price: 23.92,
      hourly_spot_price: 9.832,
      cheapest: { cloud: 'Lambda', region: 'europe-central-1' },
      cheapest_spot: { cloud: 'AWS', region: 'us-east-2' },
    });
    expect((r.data?.offers as unknown[]).length).toBe(4);
  });

  it('accepts any of several accelerators (the task’s any-of set)', async () => {
    const r = await checkGpuAvailability({ gpus: ['B300:1', 'L4:1'] }, { runSky });
    expect(r.status).toBe('pass');
    expect(r.data).toMatchObject({ hourly_price: 0.707, hourly_spot_price: 0.283 });
  });

  it('fails for a GPU not in the catalog, quoting SkyPilot and hinting at other GPUs', async () => {
    const r = await checkGpuAvailability({ gpus: ['B300:1'] }, { runSky });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain("Resources 'B300' with requested quantity 1 not found");
    expect(r.fix_hint).toContain('sky gpus list --all');
    expect(r.data).toMatchObject({ hourly_price: null, hourly_spot_price: null });
  });

  it('fails for a GPU the chosen cloud does not offer, hinting at another cloud', async () => {
    const r = await checkGpuAvailability({ gpus: ['A100:1'], cloud: 'lambda' }, { runSky });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('on lambda');
    expect(r.fix_hint).toContain('another cloud');
  });

  it('is skipped for a CPU-only task', async () => {
    const r = await checkGpuAvailability({ gpus: [] }, { runSky });
    expect(r).toMatchObject({ status: 'skipped', fix_hint: null });
  });

  it('falls back to `sky show-gpus` on a SkyPilot without `sky gpus list`', async () => {
    const calls: string[][] = [];
    const old = async (args: string[]) => {
      calls.push(args);
      if (args[0] === 'gpus') throw new Error("`sky gpus list A100:1` failed with exit code 2: Error: No such command 'gpus'.");
      return runSky(args);
    };
    const r = await checkGpuAvailability({ gpus: ['A100:1'] }, { runSky: old });
    expect(r.status).toBe('pass');
    expect(calls.map((c) => c[0])).toEqual(['gpus', 'show-gpus']);
  });

  it('fails when `sky` cannot be run', async () => {
    const r = await checkGpuAvailability({ gpus: ['A100:1'] }, { runSky: defaultRunSky({ ...process.env, SKYLOOP_SKY_BIN: '/nonexistent/sky' }) });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('install SkyPilot or set SKYLOOP_SKY_BIN');
  });
});

describe('parseGpuTable', () => {
  it('reads the verbatim SkyPilot table (docs/source/compute/show-gpus-h100-8.txt)', () => {
    const text = [
      'GPU   QTY  CLOUD       INSTANCE_TYPE                     DEVICE_MEM  vCPUs  HOST_MEM  HOURLY_PRICE  HOURLY_SPOT_PRICE  REGION             ',
      'H100  8    Lambda      gpu_8x_h100_sxm5                  80GB        208    1800GB    $ 23.920      -                  europe-central-1   ',
      'H100  8    GCP         a3-highgpu-8g                     80GB        208    1872GB    $ 46.021      $ 20.199           us-central1        ',
    ].join('\n');
    expect(parseGpuTable(text)).toEqual([
      { gpu: 'H100', qty: 8, cloud: 'Lambda', region: 'europe-central-1', instance_type: 'gpu_8x_h100_sxm5', hourly_price: 23.92, hourly_spot_price: null },
      { gpu: 'H100', qty: 8, cloud: 'GCP', region: 'us-central1', instance_type: 'a3-highgpu-8g', hourly_price: 46.021, hourly_spot_price: 20.199 },
    ]);
  });
});
