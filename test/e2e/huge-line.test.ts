// A single enormous log line (a progress bar never ended, a tensor dumped whole) through both readers —
// `skyloop analyze-logs <file>` and `skyloop analyze-logs --job ID` (the `sky jobs logs` stream) — keeps
// memory bounded and still finds the error at the end of the line.
import { execa } from 'execa';
import { appendFileSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peakRss } from '../helpers/peak-rss.js';
import { SKY_SIM, SKYLOOP } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';

const LINE_MB = 400;
const ERROR = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.25 GiB of which 1.13 GiB is free.';
const EMIT = `{ head -c ${LINE_MB * 1024 * 1024} /dev/zero | tr '\\0' '#'; echo ' ${ERROR}'; echo 'ERROR: Job 1 failed with return code list: [1] '; }`;

describe(`a ${LINE_MB} MB log line`, () => {
  it('from a file and from `sky jobs logs`: the error at its end is found, peak RSS under 200 MB', async () => {
    const w = factorialWorld();
    const file = join(w.dir, 'huge.log');
    await execa('sh', ['-c', `${EMIT} > '${file}'`]);
    try {
      const fromFile = await peakRss(SKYLOOP, ['analyze-logs', file, '--json'], { env: w.env });
      expect(fromFile.r.stderr).toBe('');
      expect(JSON.parse(fromFile.r.stdout)).toMatchObject({ category: 'OOM_CUDA', exit_code: 1 });
      expect(fromFile.peakMb).toBeGreaterThan(10);
      expect(fromFile.peakMb).toBeLessThan(200);

      // A sky whose `jobs logs` prints the huge line (everything else is the simulator).
      const sky = join(w.dir, 'sky-huge');
      writeFileSync(sky, `#!/bin/sh\nif [ "$1" = jobs ] && [ "$2" = logs ]; then cat '${file}'; exit 100; fi\nexec "${SKY_SIM}" "$@"\n`);
      chmodSync(sky, 0o755);
      const env = { ...w.env, SKYLOOP_SKY_BIN: sky };
      // The job really failed (a RUNNING job has nothing to diagnose, a SUCCEEDED one blames nothing).
      appendFileSync(join(w.dir, 'scenario.yaml'), '  - match: {name: huge}\n    outcome: fail\n    category: OOM_CUDA\n    at_minute: 1\n');
      await execa(SKY_SIM, ['jobs', 'launch', '--yes', '-d', '-n', 'huge', 'echo hi'], { env: w.env });
      await w.advance(3600);
      const id = (JSON.parse((await execa(SKYLOOP, ['queue', '--json'], { env: w.env })).stdout) as { jobs: { job_id: number }[] }).jobs[0]!.job_id;
      const fromJob = await peakRss(SKYLOOP, ['analyze-logs', '--job', String(id), '--json'], { env });
      expect(fromJob.r.stderr).toBe('');
      const analysis = JSON.parse(fromJob.r.stdout);
      expect(analysis).toMatchObject({ category: 'OOM_CUDA' });
      expect(analysis.evidence[0].line).toContain('CUDA out of memory');
      expect(fromJob.peakMb).toBeLessThan(200);
      console.log(`${LINE_MB} MB line: peak RSS ${fromFile.peakMb.toFixed(0)} MB (file), ${fromJob.peakMb.toFixed(0)} MB (sky jobs logs)`);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
