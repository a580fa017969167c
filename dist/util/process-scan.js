// Finding processes by a marker in their environment: a launcher killed between spawning `sky jobs launch`
// and writing down its pid leaves an orphan that only the marker identifies. Linux (/proc) only; elsewhere
// the caller falls back to waiting a grace period.
import { readdirSync, readFileSync } from 'node:fs';
export const canScanProcesses = () => {
    try {
        readdirSync('/proc/self');
        return true;
    }
    catch {
        return false;
    }
};
/** Pids of live processes whose environment has `name=<one of values>`. */
export function processesWithEnv(name, values) {
    const pids = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry))
            continue;
        let environ;
        try {
            environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
        }
        catch {
            continue; // gone, or not ours to read
        }
        for (const kv of environ.split('\0')) {
            if (kv.startsWith(`${name}=`) && values.has(kv.slice(name.length + 1))) {
                pids.push(Number(entry));
                break;
            }
        }
    }
    return pids;
}
/** Whether a process with this pid exists (EPERM: it exists but is someone else's). */
export function isProcessAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (e) {
        return e.code === 'EPERM';
    }
}
/**
 * When a process started, in clock ticks since boot (/proc/<pid>/stat field 22): with the pid it names one
 * process for good, so a pid reused after a crash or a container restart is not mistaken for the old owner.
 * Null where /proc is missing or the process is gone.
 */
export function processStartTime(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[19] ?? null;
    }
    catch {
        return null;
    }
}
/** This boot of this machine (a restarted container keeps the hostname, not its processes). */
export function bootId() {
    try {
        return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    }
    catch {
        return null;
    }
}
