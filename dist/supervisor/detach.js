// Running the supervisor in the background: the same `factorial watch` process, detached from the
// terminal, its output appended to a log under the outputs dir. Stopping it is SIGTERM: it finishes its
// pass, writes the manifest and exits.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExperimentStore } from '../store/experiment-store.js';
import { packageRoot } from '../util/package-root.js';
import { isProcessAlive } from '../util/process-scan.js';
import { readSupervisor, supervisorLog, SupervisorRunning } from './supervisor-lock.js';
export async function detachSupervisor(experimentId, outputsDir, intervalS) {
    const outputs = resolve(outputsDir);
    new ExperimentStore(outputs, experimentId).read(); // a missing experiment fails here, by name
    const running = readSupervisor(outputs, experimentId);
    if (running?.alive) {
        throw new SupervisorRunning(`experiment '${experimentId}' already has a supervisor (pid ${running.pid}, since ${running.started_at})`);
    }
    mkdirSync(outputs, { recursive: true });
    const log = supervisorLog(outputs, experimentId);
    const fd = openSync(log, 'a');
    const args = [join(packageRoot(), 'bin', 'skyloop'), 'factorial', 'watch', experimentId];
    if (intervalS !== undefined)
        args.push('--interval', String(intervalS));
    const child = spawn(process.execPath, args, {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: { ...process.env, SKYLOOP_OUTPUTS_DIR: outputs, SKYLOOP_SUPERVISOR_LOG: log },
    });
    closeSync(fd);
    child.unref();
    const pid = child.pid;
    // Wait until it holds the supervisor lock (or died saying why, in the log).
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
        if (readSupervisor(outputs, experimentId)?.pid === pid)
            return { pid, log };
        if (!isProcessAlive(pid))
            throw new Error(`the supervisor exited at once; see ${log}`);
        await new Promise((r) => setTimeout(r, 50));
    }
    return { pid, log };
}
export function supervisorStatusLines(outputsDir, experimentId) {
    new ExperimentStore(outputsDir, experimentId).read();
    const s = readSupervisor(outputsDir, experimentId);
    if (!s || !s.alive)
        return [`${experimentId}: no supervisor running${s ? ` (pid ${s.pid} is gone)` : ''}; start one with skyloop factorial supervise start ${experimentId}`];
    return [
        `${experimentId}: supervisor alive, pid ${s.pid} on ${s.host}, since ${s.started_at}`,
        `  last poll ${s.last_poll_at ?? 'not yet'} (${s.polls} polls)${s.log ? `; log ${s.log}` : ''}`,
    ];
}
export async function stopSupervisor(outputsDir, experimentId) {
    const s = readSupervisor(outputsDir, experimentId);
    if (!s || !s.alive)
        return `${experimentId}: no supervisor running`;
    process.kill(s.pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (isProcessAlive(s.pid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    return isProcessAlive(s.pid) ? `${experimentId}: sent SIGTERM to pid ${s.pid}; it is finishing its pass` : `${experimentId}: supervisor (pid ${s.pid}) stopped`;
}
