// An inter-process lock for one file: a lock file that appears, complete with its owner, in one atomic step
// (link(2) of a fully written temporary file: it fails if the lock exists). The owner is pid + process start
// time + boot + host, so a lock whose owner died (kill -9), whose pid was reused, or that a previous boot of
// a container left behind is taken over at once. A lock written on another host (a shared volume) cannot be
// checked for liveness: its owner refreshes it while it holds it, and one not refreshed for a minute is stale.
//
// Taking over a stale lock is itself serialised by a takeover guard (mkdir), under which the lock is read
// again before it is removed: two processes that both saw a dead owner cannot both remove a lock, so never
// both hold it.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { bootId, isProcessAlive, processStartTime } from '../util/process-scan.js';
import { StoreWriteError } from './store-errors.js';
const HEARTBEAT_MS = 10_000;
/** A lock from another host not refreshed for this long is stale. */
const FOREIGN_STALE_MS = 60_000;
/** A takeover guard lives for a few system calls; one older than this was left by a process that died in them. */
const GUARD_STALE_MS = 10_000;
/** The lock is held by someone else and the wait is over. */
export class LockBusyError extends Error {
    lockPath;
    owner;
    name = 'LockBusyError';
    constructor(lockPath, owner, timeoutMs) {
        super(`timed out after ${timeoutMs} ms waiting for the lock ${lockPath}, held by ${owner}`);
        this.lockPath = lockPath;
        this.owner = owner;
    }
}
const me = () => ({ pid: process.pid, started: processStartTime(process.pid), boot: bootId(), host: hostname() });
function readOwner(lock) {
    try {
        return JSON.parse(readFileSync(lock, 'utf8'));
    }
    catch {
        return null; // gone meanwhile, or not a lock this version wrote
    }
}
export const describeOwner = (o) => o === null ? 'an unknown owner' : `pid ${o.pid} on ${o.host} (since ${o.since})`;
function ownerAlive(lock, o) {
    const here = me();
    if (o.host !== here.host || (o.boot !== null && here.boot !== null && o.boot !== here.boot)) {
        if (o.host === here.host)
            return false; // this host rebooted (or the container restarted) since
        try {
            return Date.now() - statSync(lock).mtimeMs < FOREIGN_STALE_MS;
        }
        catch {
            return false;
        }
    }
    if (!isProcessAlive(o.pid))
        return false;
    const started = processStartTime(o.pid);
    return o.started === null || started === null || started === o.started;
}
/** Create the lock for `file`; a failed write names `file`, the thing the user knows. */
function tryCreate(file, lock) {
    const owner = { ...me(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    const temp = `${lock}.${owner.token}.tmp`;
    try {
        writeFileSync(temp, JSON.stringify(owner));
    }
    catch (e) {
        rmSync(temp, { force: true });
        throw new StoreWriteError(file, e.code, e.message);
    }
    try {
        linkSync(temp, lock);
        return owner;
    }
    catch (e) {
        if (e.code !== 'EEXIST')
            throw new StoreWriteError(file, e.code, e.message);
        return null;
    }
    finally {
        rmSync(temp, { force: true });
    }
}
/** Remove `lock` if it is still the dead owner's, under the takeover guard. */
function takeOver(lock, dead) {
    const guard = `${lock}.takeover`;
    try {
        mkdirSync(guard);
    }
    catch (e) {
        if (e.code !== 'EEXIST')
            throw e;
        try {
            if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS)
                rmdirSync(guard);
        }
        catch {
            /* released meanwhile */
        }
        return;
    }
    try {
        if (readOwner(lock)?.token === dead.token)
            unlinkSync(lock);
    }
    catch {
        /* released meanwhile */
    }
    finally {
        rmdirSync(guard);
    }
}
export async function withFileLock(file, fn, timeoutMs = 60_000) {
    const lock = `${file}.lock`;
    const deadline = Date.now() + timeoutMs;
    let mine;
    for (let wait = 5;; wait = Math.min(wait * 2, 100)) {
        mine = tryCreate(file, lock);
        if (mine)
            break;
        const owner = readOwner(lock);
        if (owner !== null && !ownerAlive(lock, owner)) {
            takeOver(lock, owner);
            continue;
        }
        // No readable owner: the file vanished between link and read (released), or was not written by this
        // version; an unreadable lock older than the foreign limit is stale too.
        if (owner === null) {
            try {
                if (Date.now() - statSync(lock).mtimeMs > FOREIGN_STALE_MS)
                    rmSync(lock, { recursive: true, force: true });
            }
            catch {
                /* released meanwhile */
            }
        }
        if (Date.now() > deadline)
            throw new LockBusyError(lock, describeOwner(owner), timeoutMs);
        await new Promise((r) => setTimeout(r, wait));
    }
    const token = mine.token;
    const heartbeat = setInterval(() => {
        try {
            const now = new Date();
            utimesSync(lock, now, now);
        }
        catch {
            /* best effort */
        }
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
        return await fn();
    }
    finally {
        clearInterval(heartbeat);
        // Only our own lock is removed (never one a stale-takeover gave to someone else).
        if (readOwner(lock)?.token === token)
            rmSync(lock, { force: true });
    }
}
