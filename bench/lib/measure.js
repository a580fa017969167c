// Timing helpers shared by the benchmarks: warm up, then the median of several runs.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full collection before each timed sample, so one run's garbage is not billed to the next one.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc');

let sink; // keeps results alive so the work cannot be optimised away
export const keep = (v) => {
  sink = v;
  return sink;
};

/**
 * Median wall time (ms) of `fn` over `runs` runs after `warmup` untimed ones.
 * `before` runs untimed ahead of every call (e.g. to reset a file).
 */
export async function median(fn, { warmup = 2, runs = 7, before } = {}) {
  for (let i = 0; i < warmup; i++) {
    if (before) await before();
    keep(await fn());
  }
  const times = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    collect();
    const t0 = performance.now();
    keep(await fn());
    times.push(performance.now() - t0);
  }
  return medianOf(times);
}

/**
 * Medians (ms) of several functions measured in rounds — one run of each per round — so that load from
 * elsewhere on the machine falls on all of them alike and their ratios stay meaningful.
 */
export async function interleaved(fns, { warmup = 2, runs = 7 } = {}) {
  for (let i = 0; i < warmup; i++) for (const fn of fns) keep(await fn());
  const times = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of fns.entries()) {
      collect();
      const t0 = performance.now();
      keep(await fn());
      times[k].push(performance.now() - t0);
    }
  }
  return times.map(medianOf);
}

export function medianOf(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
export const ratio = (x, base) => `${(x / base).toFixed(1)}x`;
export const kb = (bytes) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

/** True when the module at `metaUrl` is the script node was started with. */
export const isMain = (metaUrl) => process.argv[1] !== undefined && metaUrl === pathToFileURL(process.argv[1]).href;
