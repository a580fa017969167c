// The simulator's whole world in one JSON file under SKYLOOP_SIM_HOME, read lock-free (writes are
// atomic renames) and changed only under an inter-process lock. Jobs are stored as compact
// timelines fixed at launch; statuses are computed from them lazily (see timeline.ts).
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SimConfigError } from './errors.js';
export function simHome() {
    return process.env.SKYLOOP_SIM_HOME || join(homedir(), '.skyloop', 'sky-sim');
}
const statePath = (home) => join(home, 'state.json');
export function simSpeed() {
    const raw = process.env.SKYLOOP_SIM_SPEED;
    if (raw === undefined || raw === '')
        return 60;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0)
        throw new SimConfigError(`SKYLOOP_SIM_SPEED must be a number >= 0, got '${raw}'`);
    return n;
}
function freshState() {
    const now = Date.now() / 1000;
    return { v: 1, epoch: { sim: now, real: now }, offset: 0, speed: simSpeed(), nextId: 1, jobs: [] };
}
export function readState(home = simHome()) {
    let text;
    try {
        text = readFileSync(statePath(home), 'utf8');
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return freshState();
        throw e;
    }
    try {
        return JSON.parse(text);
    }
    catch {
        throw new SimConfigError(`state file ${statePath(home)} is not valid JSON; run 'sky-sim sim reset'`);
    }
}
/** Simulated now: sim_epoch + (real_now - real_epoch) * speed + offset. */
export function simNow(state) {
    return state.epoch.sim + (Date.now() / 1000 - state.epoch.real) * (state.speed ?? simSpeed()) + state.offset;
}
/** If SKYLOOP_SIM_SPEED changed since the state was anchored, re-anchor at the current simulated now. */
export async function syncSpeed(home = simHome()) {
    const s = readState(home);
    const speed = simSpeed();
    if (s.jobs.length === 0 && s.offset === 0 && s.speed === undefined)
        return;
    if (s.speed === speed)
        return;
    await updateState((st) => {
        if (st.speed === speed)
            return;
        const now = simNow(st);
        st.epoch = { sim: now - st.offset, real: Date.now() / 1000 };
        st.speed = speed;
    }, home);
}
/** Runs `fn` on the current state under the lock and writes back what it returns (if anything). */
export async function updateState(fn, home = simHome()) {
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
    }
    finally {
        await release();
    }
}
export async function resetState(home = simHome()) {
    mkdirSync(home, { recursive: true });
    const lockfile = (await import('proper-lockfile')).default;
    const release = await lockfile.lock(home, { lockfilePath: join(home, 'state.lock'), realpath: false, stale: 10_000 });
    try {
        rmSync(statePath(home), { force: true });
    }
    finally {
        await release();
    }
}
