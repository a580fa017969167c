// The simulator's failure logs, read back through the real `sky jobs logs` path, are diagnosed correctly.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyzeJob } from '../../mcp-server/src/diagnosis/analyze-job.js';
import { loadPatternLibrary } from '../../mcp-server/src/diagnosis/pattern-library.js';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { SKY_SIM, SKYLOOP } from '../helpers/paths.js';
import { simWorld } from '../helpers/simulator.js';

const index = parse(readFileSync(new URL('../../mcp-server/src/simulator/failure-logs/index.yaml', import.meta.url), 'utf8')) as Record<
  string,
  { terminal?: boolean; status: string }
>;
// Categories that end a job (the others keep it retrying forever, which a scenario models as `stuck`).
const TERMINAL = Object.entries(index).filter(([, e]) => e.terminal !== false && e.status !== 'RECOVERING').map(([id]) => id);

describe('diagnosis of simulated failures, end to end', () => {
  it(`reads each job's log through sky and names its category (${TERMINAL.length} categories)`, async () => {
    const world = simWorld();
    writeFileSync(world.taskFile(), 'name: train\nresources:\n  image_id: docker:ghcr.io/example/train:v1\nrun: python train.py\n');
    writeFileSync(join(world.home, 'scenario.yaml'), `rules:\n${TERMINAL.map((id) => `  - match: {name: "job-${id.toLowerCase().replace(/_/g, '-')}"}\n    outcome: fail\n    category: ${id}\n    at_minute: 5\n`).join('')}`);
    const sky = new SkyCli({ bin: SKY_SIM, env: world.env });
    const ids = new Map<string, number>();
    for (const id of TERMINAL) ids.set(id, (await sky.launch(world.taskFile(), { name: `job-${id.toLowerCase().replace(/_/g, '-')}` })).job_id);
    await world.advance(6 * 3600);

    const library = loadPatternLibrary();
    const wrong: string[] = [];
    for (const [id, jobId] of ids) {
      const a = await analyzeJob(jobId, sky, library);
      if (a.category !== id) wrong.push(`${id}: got ${a.category} (${a.log} log, ${a.confidence_reason})`);
    }
    expect(wrong).toEqual([]);

    // The CLI path, as a user runs it.
    const oom = await execa(SKYLOOP, ['analyze-logs', '--job', String(ids.get('OOM_CUDA')), '--json'], { env: { ...world.env, SKYLOOP_SKY_BIN: SKY_SIM } });
    expect(JSON.parse(oom.stdout)).toMatchObject({ category: 'OOM_CUDA', confidence: 'high', log: 'job', status: 'FAILED' });
    const missing = await execa(SKYLOOP, ['analyze-logs', '--job', '9999'], { env: { ...world.env, SKYLOOP_SKY_BIN: SKY_SIM }, reject: false });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no managed job with id 9999/);
  });
});
