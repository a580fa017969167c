// Pre-flight: is there room on the disk that holds outputs/ (logs, manifests, downloaded checkpoints)?
// Runs POSIX `df -Pk <dir>` (one line per filesystem, sizes in KiB) and compares the available space.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkClock, errorMessage } from './check-result.js';
/** The data line of `df -Pk`: `Filesystem 1024-blocks Used Available Capacity Mounted on`. */
export function parseDfOutput(text) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const data = lines[lines.length - 1];
    // Filesystem and mount point may contain spaces; the four numbers between them may not.
    const m = data === undefined || lines.length < 2 ? null : /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(.*)$/.exec(data);
    if (m === null)
        throw new Error(`unexpected df output: ${JSON.stringify(text.slice(0, 200))}`);
    return { filesystem: m[1], available_kib: Number(m[4]), capacity_percent: Number(m[5]), mounted_on: m[6] };
}
function existingAncestor(dir) {
    let d = resolve(dir);
    while (!existsSync(d) && dirname(d) !== d)
        d = dirname(d);
    return d;
}
const gb = (kib) => Math.round((kib * 1024) / 1e8) / 10;
export async function checkDiskSpace(input, deps = {}) {
    const clock = checkClock('disk_space');
    const min = input.min_free_disk_gb ?? 20;
    const dir = existingAncestor(input.dir);
    const result = await execa('df', ['-Pk', '--', dir], {
        env: deps.env ?? process.env,
        extendEnv: false,
        stdin: 'ignore',
        reject: false,
        timeout: 15_000,
        ...(deps.signal ? { cancelSignal: deps.signal } : {}),
    });
    if (result.cause?.code === 'ENOENT') {
        return clock.skipped('`df` is not installed (POSIX coreutils), so free space cannot be measured');
    }
    if (result.exitCode !== 0) {
        return clock.fail(`\`df -Pk ${dir}\` failed: ${String(result.stderr).trim() || `exit code ${result.exitCode}`}`, 'check that the directory is readable');
    }
    let line;
    try {
        line = parseDfOutput(String(result.stdout));
    }
    catch (e) {
        return clock.fail(errorMessage(e), 'run `df -Pk` yourself and report its output');
    }
    const free = gb(line.available_kib);
    const data = { free_gb: free, min_free_gb: min, dir, mounted_on: line.mounted_on, used_percent: line.capacity_percent };
    const where = `${dir} (filesystem ${line.filesystem} on ${line.mounted_on}, ${line.capacity_percent}% used)`;
    if ((line.available_kib * 1024) / 1e9 >= min)
        return clock.pass(`${free} GB free on ${where}; at least ${min} GB needed`, null, data);
    return clock.fail(`only ${free} GB free on ${where}; at least ${min} GB needed`, `free ${Math.ceil((min - free) * 10) / 10} GB on ${line.mounted_on} (old checkpoints, docker system prune, caches) or lower min_free_disk_gb`, data);
}
