// An inter-process lock for one file: a directory created with mkdir (atomic on every local filesystem)
// holding the owner's pid. A lock whose owner died (kill -9) is taken over at once instead of after a
// stale timeout, so a crashed run never blocks the next one.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isProcessAlive } from '../util/process-scan.js';
const OWNER = 'owner.json';
/** A lock directory without an owner file is a crash between mkdir and write; give the owner this long. */
const ORPHAN_GRACE_MS = 5_000;
function ownerAlive(dir) {
    let owner;
    try {
        owner = JSON.parse(readFileSync(`${dir}/${OWNER}`, 'utf8'));
    }
    catch {
        try {
            return Date.now() - statSync(dir).mtimeMs < ORPHAN_GRACE_MS;
        }
        catch {
            return false; // released meanwhile
        }
    }
    if (owner.host !== hostname())
        return true; // cannot tell: assume alive
    return isProcessAlive(owner.pid);
}
export async function withFileLock(file, fn, timeoutMs = 60_000) {
    const dir = `${file}.lock`;
    const deadline = Date.now() + timeoutMs;
    for (let wait = 5;; wait = Math.min(wait * 2, 100)) {
        try {
            mkdirSync(dir);
            writeFileSync(`${dir}/${OWNER}`, JSON.stringify({ pid: process.pid, host: hostname() }));
            break;
        }
        catch (e) {
            if (e.code !== 'EEXIST')
                throw e;
        }
        if (!ownerAlive(dir)) {
            // Move the dead owner's lock aside first: of two processes doing this at once, only one rename wins.
            try {
                const aside = `${dir}.dead-${process.pid}-${Date.now()}`;
                renameSync(dir, aside);
                rmSync(aside, { recursive: true, force: true });
            }
            catch {
                /* someone else took it over; try again */
            }
            continue;
        }
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for the lock ${dir}`);
        await new Promise((r) => setTimeout(r, wait));
    }
    try {
        return await fn();
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
