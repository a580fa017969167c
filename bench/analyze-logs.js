// analyze_logs throughput on a 1 GB log, side by side with `grep -F -f <every detection string>` on the
// same file in the same run (the goal: within 2x of grep).
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeStream } from '../dist/diagnosis/analyze-log.js';
import { loadPatternLibrary } from '../dist/diagnosis/pattern-library.js';
import { writeSyntheticLog } from './lib/synthetic-log.js';

const SIZE = Number(process.env.SKYLOOP_BENCH_LOG_MB ?? 1024) * 1024 * 1024;
const ROUNDS = 3;

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'skyloop-bench-log-'));
  const log = join(dir, 'run.log');
  const needles = join(dir, 'needles.txt');
  try {
    writeSyntheticLog(log, SIZE, '(train, pid=4242) torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.\nERROR: Job 1 failed with return code list: [1] \n');
    const library = loadPatternLibrary();
    const strings = library.categories.flatMap((c) => c.detect.any.map((n) => n.text));
    writeFileSync(needles, strings.join('\n') + '\n');
    const mb = statSync(log).size / 1024 ** 2;
    const grepTimes = [];
    const ourTimes = [];
    let category;
    for (let i = 0; i < ROUNDS; i++) {
      let t0 = performance.now();
      // grep exits 1 when nothing matches; either way it has read the whole file.
      try { execFileSync('grep', ['-c', '-F', '-f', needles, log], { stdio: ['ignore', 'pipe', 'ignore'] }); } catch { /* no match */ }
      grepTimes.push(performance.now() - t0);
      t0 = performance.now();
      category = (await analyzeStream(createReadStream(log, { highWaterMark: 1 << 20 }), library)).category;
      ourTimes.push(performance.now() - t0);
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const grepMs = med(grepTimes);
    const ourMs = med(ourTimes);
    return {
      title: `analyze_logs on a ${mb.toFixed(0)} MB log (${strings.length} detection strings), median of ${ROUNDS}`,
      lines: [
        `grep -F -f (baseline)   ${(mb / (grepMs / 1000)).toFixed(0).padStart(5)} MB/s  ${grepMs.toFixed(0)} ms`,
        `analyzeStream           ${(mb / (ourMs / 1000)).toFixed(0).padStart(5)} MB/s  ${ourMs.toFixed(0)} ms  = ${(ourMs / grepMs).toFixed(2)}x grep (goal ≤ 2x); found ${category}`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { title, lines } = await run();
  console.log(`${title}\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
