// The simulator's whole world in one JSON file under SKYLOOP_SIM_HOME, read lock-free (writes are
// atomic renames) and changed only under an inter-process lock. Jobs are stored as compact
// timelines fixed at launch; statuses are computed from them lazily (see timeline.ts).

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SimConfigError } from './errors.js';
import type { JobRecord } from './timeline.js';

export interface SimState {
  v: 1;
  /** Simulated and real UNIX seconds at the moment the state was created. */
  epoch: { sim: number; real: number };
  /** Seconds added by `sky-sim sim advance`. */
  offset: number;
  /** Speed the epoch is anchored for; a different SKYLOOP_SIM_SPEED re-anchors (no time jump). */
  speed?: number;
  nextId: number;
  jobs: JobRecord[];
  /** Calls hit so far by each scheduled fault with `times` (index in the scenario's `faults:`). */
  faultHits?: Record<number, number>;
}

export function simHome(): string {
  return process.env.SKYLOOP_SIM_HOME || join(homedir(), '.skyloop', 'sky-sim');
}

const statePath = (home: string): string => join(home, 'state.json');

export function simSpeed(): number {
  const raw = process.env.SKYLOOP_SIM_SPEED;
  if (raw === undefined || raw === '') return 60;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new SimConfigError(`SKYLOOP_SIM_SPEED must be a number >= 0, got '${raw}'`);
  return n;
}

function freshState(): SimState {
  const now = Date.now() / 1000;
  return { v: 1, epoch: { sim: now, real: now }, offset: 0, speed: simSpeed(), nextId: 1, jobs: [] };
}

export function readState(home = simHome()): SimState {
  let text: string;
  try {
    text = readFileSync(statePath(home), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return freshState();
    throw e;
  }
  try {
    return JSON.parse(text) as SimState;
  } catch {
    throw new SimConfigError(`state file ${statePath(home)} is not valid JSON; run 'sky-sim sim reset'`);
  }
}

/** Simulated now: sim_epoch + (real_now - real_epoch) * speed + offset. */
export function simNow(state: SimState): number {
  return state.epoch.sim + (Date.now() / 1000 - state.epoch.real) * (state.speed ?? simSpeed()) + state.offset;
}

/** If SKYLOOP_SIM_SPEED changed since the state was anchored, re-anchor at the current simulated now. */
export async function syncSpeed(home = simHome()): Promise<void> {
  const s = readState(home);
  const speed = simSpeed();
  if (s.jobs.length === 0 && s.offset === 0 && s.speed === undefined) return;
  if (s.speed === speed) return;
  await updateState((st) => {
    if (st.speed === speed) return;
    const now = simNow(st);
    st.epoch = { sim: now - st.offset, real: Date.now() / 1000 };
    st.speed = speed;
  }, home);
}

/** Runs `fn` on the current state under the lock and writes back what it returns (if anything). */
export async function updateState<T>(fn: (s: SimState) => T | Promise<T>, home = simHome()): Promise<T> {
  mkdirSync(home, { recursive: true });
  // Loaded on demand: read-only commands never take the lock.
  const lockfile = (await import('proper-lockfile')).default;
  const writeFileAtomic = (await import('write-file-atomic')).default;
  const release = await lockfile.lock(home, {
    lockfilePath: join(home, 'state.lock'),
    realpath: false,
    stale: 10_000,
    retries: { retries: 400, factor: 1.3, minTimeout: 5, maxTimeout: 100, randomize: true },
  });
  try {
    const state = readState(home);
    const result = await fn(state);
    await writeFileAtomic(statePath(home), JSON.stringify(state));
    return result;
  } finally {
    await release();
  }
}

export async function resetState(home = simHome()): Promise<void> {
  mkdirSync(home, { recursive: true });
  const lockfile = (await import('proper-lockfile')).default;
  const release = await lockfile.lock(home, { lockfilePath: join(home, 'state.lock'), realpath: false, stale: 10_000 });
  try {
    rmSync(statePath(home), { force: true });
  } finally {
    await release();
  }
}
