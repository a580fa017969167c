// The inter-process locks, through the CLI: a lock whose owner is gone (dead, pid reused, previous boot,
// another host that stopped refreshing it) is taken over; a live one refuses naming its path and owner;
// concurrent takeovers of one dead lock never let two processes in; concurrent rebuilds run one by one.
import { execa } from 'execa';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SKY_SIM, SKYLOOP } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';
import { relaunchWorld } from '../helpers/relaunch-world.js';
import { startSimRegistry } from '../helpers/sim-registry.js';

const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const startTime = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};

function smallWorld() {
  const w = factorialWorld();
  writeFileSync(w.config, readFileSync(w.config, 'utf8').replace('  calibration: [false, true]\n', '').replace('  model: [dynunet, sam3]', '  model: [dynunet]'));
  const skyloop = (args: string[]) => execa(SKYLOOP, args, { env: w.env, reject: false, stdin: 'ignore' });
  const launchLock = `${w.manifestPath}.launch.lock`;
  const plant = (owner: Record<string, unknown>, ageS = 0) => {
    writeFileSync(launchLock, JSON.stringify({ since: new Date().toISOString(), token: 'planted', ...owner }));
    const t = new Date(Date.now() - ageS * 1000);
    utimesSync(launchLock, t, t);
  };
  return { ...w, skyloop, launchLock, plant };
}

async function exitedPid(): Promise<number> {
  const child = execa('true');
  const pid = child.pid!;
  await child;
  return pid;
}

describe('file locks', () => {
  it('take over a lock whose owner is gone, and refuse a live one naming its path and owner', async () => {
    const w = smallWorld();
    await execa(SKYLOOP, ['factorial', 'status', 'seg'], { env: w.env, reject: false }); // nothing yet
    const { mkdirSync } = await import('node:fs');
    mkdirSync(w.env.SKYLOOP_OUTPUTS_DIR!, { recursive: true });
    const here = { host: hostname(), boot: bootId() };

    // A live owner on this host: refused, and the refusal says where the lock is and who holds it.
    const holder = execa('sleep', ['60']);
    w.plant({ ...here, pid: holder.pid, started: startTime(holder.pid!) });
    const refused = await w.skyloop(['factorial', 'launch', w.config]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`lock ${w.launchLock}, held by pid ${holder.pid} on ${hostname()}`);

    // The same pid, but a process that started at another time (the pid was reused): stale.
    w.plant({ ...here, pid: holder.pid, started: '1' });
    let r = await w.skyloop(['factorial', 'launch', w.config, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ launched: 6 });
    holder.kill();
    await holder.catch(() => undefined);

    // Written by a previous boot of this host (a restarted container), by a dead pid: stale.
    for (const owner of [{ ...here, boot: 'another-boot', pid: 1, started: startTime(1) }, { ...here, pid: await exitedPid(), started: '5' }]) {
      w.plant(owner);
      r = await w.skyloop(['factorial', 'launch', w.config, '--json']);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ launched: 0, already_launched: 6 });
    }

    // Another host: refused while it refreshes the lock, taken over once it stopped a minute ago.
    w.plant({ host: 'build-box-7', boot: 'x', pid: 4242, started: '9' }, 5);
    r = await w.skyloop(['factorial', 'launch', w.config]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`held by pid 4242 on build-box-7`);
    w.plant({ host: 'build-box-7', boot: 'x', pid: 4242, started: '9' }, 120);
    r = await w.skyloop(['factorial', 'launch', w.config, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ launched: 0 });
  });

  it('eight launchers racing to take over one dead lock launch every condition exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const w = smallWorld();
      w.env.SKYLOOP_SIM_LAUNCH_LATENCY_MS = '200';
      const { mkdirSync } = await import('node:fs');
      mkdirSync(w.env.SKYLOOP_OUTPUTS_DIR!, { recursive: true });
      w.plant({ host: hostname(), boot: bootId(), pid: await exitedPid(), started: '5' });
      const runs = await Promise.all(Array.from({ length: 8 }, () => w.skyloop(['factorial', 'launch', w.config, '--json'])));
      for (const run of runs.filter((x) => x.exitCode !== 0)) expect(run.stderr).toMatch(/another skyloop process is launching experiment 'seg'/);
      expect(runs.filter((x) => x.exitCode === 0).length).toBeGreaterThanOrEqual(1);
      const queue = JSON.parse((await execa(SKYLOOP, ['queue', '--json'], { env: w.env })).stdout) as { jobs: { job_name: string }[] };
      expect(queue.jobs.length).toBe(6);
      expect(new Set(queue.jobs.map((j) => j.job_name)).size).toBe(6);
    }
  });

  it('concurrent rebuilds of one experiment run one after the other, with distinct ids and logs', async () => {
    const probe = await relaunchWorld();
    const registry = await startSimRegistry(probe.env);
    const image = `${registry.host}/seg-train:v1`;
    const w = await relaunchWorld({
      image: `docker:${image}`,
      commands: `commands:\n  build: echo build-start; sleep 0.5; echo build-end\n  push: ${SKY_SIM} sim push ${image} --label commit=$(git rev-parse HEAD)\n  timeout_s: 60\n`,
    });
    try {
      await execa(SKY_SIM, ['sim', 'push', image, '--label', 'commit=initial'], { env: w.env });
      await w.skyloop(['factorial', 'launch', w.config]);
      await w.runBatch();
      await w.commitFix();
      const runs = await Promise.all(Array.from({ length: 3 }, () => w.skyloop(['factorial', 'rebuild', 'seg', '--json'])));
      const rebuilds = runs.map((r) => JSON.parse(r.stdout) as { id: number; log_file: string });
      expect(rebuilds.map((r) => r.id).sort()).toEqual([1, 2, 3]);
      expect(new Set(rebuilds.map((r) => r.log_file)).size).toBe(3);
      for (const r of rebuilds) {
        const log = readFileSync(r.log_file, 'utf8');
        expect(log.match(/^build-start$/gm)).toHaveLength(1);
        expect(log.indexOf('build-end')).toBeGreaterThan(log.indexOf('build-start'));
      }
      expect(w.manifest().rebuilds.map((r) => r.id)).toEqual([1, 2, 3]);
    } finally {
      await registry.stop();
    }
  });
});
