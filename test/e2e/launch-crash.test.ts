// Crash safety of the launcher: kill -9 at random instants, re-run, and check that nothing is lost,
// nothing is launched twice, and the manifest and event log always parse.
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventSchema } from '../../mcp-server/src/factorial/events.js';
import { ManifestSchema } from '../../mcp-server/src/factorial/manifest.js';
import { SKYLOOP } from '../helpers/paths.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';

const WORLDS = 10;
const KILLS_PER_WORLD = 5;

describe('launch survives kill -9 at any instant', () => {
  it(`${WORLDS * KILLS_PER_WORLD} kills: the manifest always parses, no condition is launched twice, none is lost`, async () => {
    const random = seededRandom(Number(process.env.SKYLOOP_CRASH_SEED ?? 20261121));
    let killedMidWay = 0;
    for (let world = 0; world < WORLDS; world++) {
      const w = factorialWorld();
      // Each submission takes a while, as real ones do: a kill leaves `sky jobs launch` children that submit
      // after the launcher died, and the re-run must wait for them instead of launching again.
      w.env.SKYLOOP_SIM_LAUNCH_LATENCY_MS = '300';
      // 12 conditions keep each world quick; concurrency 4 keeps several launches in flight at any instant.
      writeFileSync(w.config, readFileSync(w.config, 'utf8').replace('  calibration: [false, true]\n', ''));
      for (let k = 0; k < KILLS_PER_WORLD; k++) {
        const launcher = execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve', '--json'], { env: w.env, reject: false, stdin: 'ignore' });
        const delay = 60 + random() * 1500;
        const timer = setTimeout(() => launcher.kill('SIGKILL'), delay);
        const r = await launcher;
        clearTimeout(timer);
        if (r.signal === 'SIGKILL') killedMidWay++;
        if (existsSync(w.manifestPath)) {
          expect(() => ManifestSchema.parse(JSON.parse(readFileSync(w.manifestPath, 'utf8')))).not.toThrow();
        }
        if (existsSync(w.eventsPath)) {
          // A line cut by the kill is allowed only as the very last line, and is repaired by the next run.
          const lines = readFileSync(w.eventsPath, 'utf8').split('\n').slice(0, -1);
          for (const line of lines.slice(0, -1)) expect(() => EventSchema.parse(JSON.parse(line))).not.toThrow();
        }
      }
      const final = await execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve', '--json'], { env: w.env, reject: false, stdin: 'ignore' });
      expect(final.stderr).toBe('');
      expect(final.exitCode).toBe(0);

      const manifest = w.manifest();
      expect(manifest.jobs).toHaveLength(12);
      const queue = JSON.parse((await execa(SKYLOOP, ['queue', '--json'], { env: w.env })).stdout) as { jobs: { job_id: number; job_name: string }[] };
      const perName = new Map<string, number[]>();
      for (const j of queue.jobs) perName.set(j.job_name, [...(perName.get(j.job_name) ?? []), j.job_id]);
      expect([...perName.values()].filter((ids) => ids.length > 1)).toEqual([]); // launched twice
      expect(perName.size).toBe(12); // none lost
      for (const entry of manifest.jobs) {
        expect(entry.attempts).toHaveLength(1);
        expect(perName.get(entry.attempts[0]!.job_name)).toEqual([entry.job_id]);
      }
      for (const line of readFileSync(w.eventsPath, 'utf8').trim().split('\n')) EventSchema.parse(JSON.parse(line));
    }
    expect(killedMidWay).toBeGreaterThan(WORLDS * KILLS_PER_WORLD * 0.6);
  });
});

describe('an orphaned launch whose pid was never written down', () => {
  it('is found by its marker, waited for, and adopted instead of launched twice', async () => {
    const w = factorialWorld();
    // First run: the API server is down, every launch fails and stays an intent for the next run.
    const down = await execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve'], { env: { ...w.env, SKYLOOP_SIM_FAULT: 'api-unreachable:launch' }, reject: false });
    expect(down.exitCode).toBe(1);
    const jobName = w.manifest().jobs[0]!.attempts[0]!.job_name;
    // A `sky jobs launch` left behind by a launcher killed right after spawning it: it submits 1.5 s later.
    const { SKY_SIM } = await import('../helpers/paths.js');
    const orphan = execa('bash', ['-c', `sleep 1.5; exec "${SKY_SIM}" jobs launch -y -d -n "${jobName}" "${w.dir}/task.yaml"`], {
      env: { ...w.env, SKYLOOP_LAUNCH_MARKER: `${w.manifestPath}#${jobName}` },
      stdin: 'ignore',
    });
    const rerun = await execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve', '--json'], { env: w.env, reject: false });
    await orphan;
    expect(JSON.parse(rerun.stdout)).toMatchObject({ reconciled: 1, launched: 23 });
    const queue = JSON.parse((await execa(SKYLOOP, ['queue', '--json'], { env: w.env })).stdout) as { jobs: { job_name: string }[] };
    expect(queue.jobs.filter((j) => j.job_name === jobName)).toHaveLength(1);
    expect(queue.jobs).toHaveLength(24);
  });
});
