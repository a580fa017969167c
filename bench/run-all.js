// `npm run bench`: every benchmark against the compiled code in dist/, one compact report.
// Each number is printed next to a baseline measured in the same run, never compared with a fixed limit.
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as analyzeLogs from './analyze-logs.js';
import * as integrity from './integrity.js';
import * as pollExperiment from './poll-experiment.js';
import * as queueParse from './queue-parse.js';
import * as supervisorNight from './supervisor-night.js';

const started = performance.now();
console.log(`skyloop bench — node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} CPUs, load ${loadavg()[0].toFixed(1)}, ${new Date().toISOString()}`);
console.log('absolute times move with machine load; the ratios to the same-run baselines are the numbers to compare');
for (const bench of [queueParse, pollExperiment, analyzeLogs, supervisorNight, integrity]) {
  const { title, lines } = await bench.run();
  console.log(`\n${title}\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
