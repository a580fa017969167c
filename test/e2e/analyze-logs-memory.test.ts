// `skyloop analyze-logs` on a 2 GB log with the error at the very end, under 200 MB of memory.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peakRss } from '../helpers/peak-rss.js';
import { SKYLOOP, tempDir } from '../helpers/paths.js';
import { writeSyntheticLog } from '../../bench/lib/synthetic-log.js';

describe('analyze-logs memory', () => {
  it('diagnoses a 2 GB log with bounded memory (peak RSS < 200 MB)', async () => {
    const dir = tempDir('biglog');
    const file = join(dir, 'run.log');
    writeSyntheticLog(file, 2 * 1024 ** 3, [
      '(train, pid=4242) Traceback (most recent call last):',
      '(train, pid=4242)   File "/app/train.py", line 212, in <module>',
      '(train, pid=4242) torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.25 GiB of which 1.13 GiB is free.',
      'ERROR: Job 1 failed with return code list: [1] ',
      '',
    ].join('\n'));
    try {
      const { r, peakMb } = await peakRss(SKYLOOP, ['analyze-logs', file, '--json']);
      const analysis = JSON.parse(r.stdout);
      expect(analysis).toMatchObject({ category: 'OOM_CUDA', exit_code: 1 });
      expect(analysis.bytes).toBeGreaterThan(2 * 1024 ** 3);
      expect(peakMb).toBeGreaterThan(10); // the sampler saw the process
      expect(peakMb).toBeLessThan(200);
      console.log(`analyze-logs 2 GB: peak RSS ${peakMb.toFixed(0)} MB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
