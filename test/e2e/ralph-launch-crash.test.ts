// Crash safety of the single-job loop: `skyloop ralph run` killed with SIGKILL at random instants, mostly while
// its `sky jobs launch` is submitting, then run again. No attempt may be launched twice, none may be lost,
// and the event log must always parse.
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RalphEventSchema } from '../../mcp-server/src/ralph/ralph-events.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { SKY_SIM, SKYLOOP, tempDir } from '../helpers/paths.js';
import { RALPH_OOM_SCENARIO, RALPH_TASK } from '../helpers/ralph-fixture.js';
import { simWorld } from '../helpers/simulator.js';

const WORLDS = 4;
const KILLS_PER_WORLD = 5;

function world() {
  const dir = tempDir('ralph-crash');
  // Each submission takes a while, as real ones do: a kill mid-launch leaves a `sky jobs launch` that still
  // submits after the loop died, and the next run must wait for it and adopt its job.
  const w = simWorld({ SKYLOOP_SIM_SPEED: '6000', SKYLOOP_SIM_SCENARIO: join(dir, 'scenario.yaml'), SKYLOOP_SIM_LAUNCH_LATENCY_MS: '400' });
  writeFileSync(join(dir, 'scenario.yaml'), RALPH_OOM_SCENARIO);
  const task = join(dir, 'train.sky.yaml');
  writeFileSync(task, RALPH_TASK);
  const env = { ...w.env, SKYLOOP_SKY_BIN: SKY_SIM, SKYLOOP_OUTPUTS_DIR: join(dir, 'outputs') };
  return { task, env, log: join(dir, 'outputs', 'ralph_diagnoses.jsonl') };
}

const ralphRun = (w: ReturnType<typeof world>) =>
  execa(SKYLOOP, ['ralph', 'run', w.task, '--batch-size-env', 'BATCH_SIZE', '--poll-interval', '0.05', '--min-free-disk-gb', '0'], { env: w.env, reject: false, stdin: 'ignore' });

describe('ralph run survives kill -9 at any instant', () => {
  it(`${WORLDS * KILLS_PER_WORLD} kills: no attempt is launched twice or lost, and the event log always parses`, async () => {
    const random = seededRandom(Number(process.env.SKYLOOP_CRASH_SEED ?? 20261202));
    let killedMidLaunch = 0;
    for (let world_ = 0; world_ < WORLDS; world_++) {
      const w = world();
      for (let k = 0; k < KILLS_PER_WORLD; k++) {
        const run = ralphRun(w);
        // Kill as soon as the loop has written its launch down (or at a random instant if it never does).
        const started = Date.now();
        const delay = random() * 350;
        let launching = false;
        while (run.exitCode === null && Date.now() - started < 30_000) {
          const events = existsSync(w.log) ? readFileSync(w.log, 'utf8') : '';
          const last = events.trim().split('\n').at(-1) ?? '';
          if (last.includes('"launch_started"')) {
            launching = true;
            break;
          }
          await new Promise((r) => setTimeout(r, 10));
        }
        await new Promise((r) => setTimeout(r, delay));
        run.kill('SIGKILL');
        const r = await run;
        if (r.signal === 'SIGKILL' && launching) killedMidLaunch++;
        if (existsSync(w.log)) {
          // A line cut by the kill is allowed only as the very last line.
          const lines = readFileSync(w.log, 'utf8').split('\n').slice(0, -1);
          for (const line of lines.slice(0, -1)) expect(() => RalphEventSchema.parse(JSON.parse(line))).not.toThrow();
        }
      }
      const final = await ralphRun(w);
      expect(final.stderr).toBe('');
      expect(final.exitCode).toBe(0);

      const report = JSON.parse((await execa(SKYLOOP, ['ralph', 'report', 'train', '--json'], { env: w.env })).stdout) as { outcome: string; attempts: { job_id: number }[] };
      expect(report.outcome).toBe('succeeded');
      const queue = JSON.parse((await execa(SKYLOOP, ['queue', '--json'], { env: w.env })).stdout) as { jobs: { job_id: number; job_name: string }[] };
      const perName = new Map<string, number[]>();
      for (const j of queue.jobs) perName.set(j.job_name, [...(perName.get(j.job_name) ?? []), j.job_id]);
      expect([...perName.entries()].filter(([, ids]) => ids.length > 1)).toEqual([]); // an attempt launched twice
      // Every job SkyPilot ran is an attempt of the report (none lost), and the OOM was fixed once: 2 attempts.
      expect(report.attempts.map((a) => a.job_id).sort((a, b) => a - b)).toEqual(queue.jobs.map((j) => j.job_id).sort((a, b) => a - b));
      expect(report.attempts).toHaveLength(2);
    }
    expect(killedMidLaunch).toBeGreaterThan(WORLDS * KILLS_PER_WORLD * 0.5);
  });
});
