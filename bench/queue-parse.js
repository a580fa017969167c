// Benchmark: parsing `sky jobs queue` output for 10,000 jobs, in every layout skyloop reads.
// The text is printed by the simulator (bin/sky-sim) for a prepared state, see lib/sim-fixture.js.
// Baseline, same run: plain JSON.parse of the same `-o json` text (the floor for any JSON reader).
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseQueueJson } from '../dist/sky/queue-json-parser.js';
import { parseQueueTable } from '../dist/sky/queue-table-parser.js';
import { interleaved, isMain, kb, ms, ratio } from './lib/measure.js';
import { QUEUE_MIX, runSim, SIM_NOW, writeSimState } from './lib/sim-fixture.js';

const JOBS = 10_000;
const RUNS = 9;
const VERBOSE_ALL = ['jobs', 'queue', '-a', '-v'];

export async function run({ jobs = JOBS } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'skyloop-bench-queue-'));
  try {
    const names = Array.from({ length: jobs }, (_, i) => `bench-model-${i % 7}.lr-${i % 11}.seed-${i}-b0`);
    const env = writeSimState(dir, names, QUEUE_MIX);
    const inputs = [
      { label: 'table, current (ANSI STATUS)', text: runSim(env, VERBOSE_ALL, 'current'), parse: (t) => parseQueueTable(t, SIM_NOW).records },
      { label: 'table, 0.10.6', text: runSim(env, VERBOSE_ALL, '0.10.6'), parse: (t) => parseQueueTable(t, SIM_NOW).records },
      { label: 'table, 0.9.3', text: runSim(env, VERBOSE_ALL, '0.9.3'), parse: (t) => parseQueueTable(t, SIM_NOW).records },
      { label: 'JSON -v (parseQueueJson)', text: runSim(env, [...VERBOSE_ALL, '-o', 'json'], 'current'), parse: parseQueueJson },
    ];
    const json = inputs.at(-1).text;
    const rows = [{ label: 'baseline JSON.parse', text: json, parse: (t) => JSON.parse(t) }, ...inputs];

    for (const r of rows) {
      const n = r.parse(r.text).length; // also checks that every layout parses all rows
      if (n !== jobs) throw new Error(`${r.label}: parsed ${n} rows, expected ${jobs}`);
    }
    const medians = await interleaved(rows.map((r) => () => r.parse(r.text)), { warmup: 3, runs: RUNS });
    rows.forEach((r, i) => (r.ms = medians[i]));
    const base = rows[0].ms;
    const lines = [`${'input'.padEnd(30)} ${'size'.padStart(8)}  ${'median'.padStart(9)}  ${'per 1k rows'.padStart(17)}  ratio`];
    lines.push(...rows.map(
      (r) =>
        `${r.label.padEnd(30)} ${kb(Buffer.byteLength(r.text)).padStart(8)}  ${ms(r.ms).padStart(9)}  ` +
        `${ms((r.ms / jobs) * 1000).padStart(8)} per 1k rows  ${r === rows[0] ? '' : `${ratio(r.ms, base)} JSON.parse`}`,
    ));
    return { title: `queue parse: ${jobs.toLocaleString('en')} jobs, median of ${RUNS} interleaved rounds after 3 warm-ups`, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { title, lines } = await run();
  console.log(`${title}\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
