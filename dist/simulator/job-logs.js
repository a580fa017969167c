// Deterministic log text for a job, generated lazily from its launch-time plan so a log of any
// size can be (re-)read with bounded memory and grows as simulated time passes.
import { DIM, FORE, RESET } from './ansi.js';
import { categoryLines } from './failure-library.js';
import { attempts, plannedExitCodes } from './timeline.js';
function hash32(a, b) {
    let h = (a * 0x9e3779b1) ^ (b * 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    return (h ^ (h >>> 16)) >>> 0;
}
function pidFor(jobId, taskIdx, attempt, node) {
    return 1000 + (hash32(jobId * 131 + taskIdx, attempt * 17 + node) % 60000);
}
function prefix(task, node, pid, setup) {
    if (setup)
        return node === 0 ? `(setup pid=${pid})` : `(setup pid=${pid}, ip=10.0.0.${node + 1})`;
    if (task.log.nodes <= 1)
        return `(${task.name}, pid=${pid})`;
    if (node === 0)
        return `(head, rank=0, pid=${pid})`;
    return `(worker${node}, rank=${node}, pid=${pid}, ip=10.0.0.${node + 1})`;
}
function progressLine(jobId, i, n) {
    const steps = Math.max(n, 1) * 50;
    const step = i * 50;
    const noise = (hash32(jobId, i) % 10000) / 10000;
    const loss = 0.35 + 2.4 * Math.exp((-3 * i) / Math.max(n, 1)) + 0.08 * (noise - 0.5);
    const lr = 3e-4 * Math.min(1, (i * 10) / Math.max(n, 1));
    const gn = 0.4 + 0.9 * ((hash32(i, jobId) % 1000) / 1000);
    const tps = 11000 + (hash32(jobId + 7, i) % 2500);
    return `step ${step}/${steps} | loss ${loss.toFixed(4)} | lr ${lr.toExponential(2).replace(/e([+-])(\d)$/, 'e$10$2')} | grad_norm ${gn.toFixed(3)} | ${tps} tok/s`;
}
/** Lines of one attempt (one job cluster's run.log), each with the simulated time it is written. */
export function* attemptLines(job, taskIdx, att) {
    const task = job.tasks[taskIdx];
    const plan = task.log;
    const s = att.start;
    const nodes = Math.max(plan.nodes, 1);
    const pids = Array.from({ length: nodes }, (_, k) => pidFor(job.id, taskIdx, att.index, k));
    const plural = nodes > 1 ? 's' : '';
    yield { at: s, text: `${DIM}├── ${RESET}${DIM}Waiting for task resources on ${nodes} node${plural}.${RESET}` };
    yield {
        at: s,
        text: `${DIM}└── ${RESET}Job started. Streaming logs... ${DIM}(Ctrl-C to exit log streaming; job will not be killed)${RESET}`,
    };
    const finalFail = isFinalFailure(task, att);
    // setup
    for (let k = 0; k < nodes; k++) {
        for (const t of plan.su)
            yield { at: s + 1, text: `${prefix(task, k, pids[k], true)} ${t}` };
    }
    if (plan.ph === 'setup') {
        if (!finalFail)
            return;
        yield* failureLines(job, task, att, pids, true);
        return;
    }
    const runStart = s + plan.sd;
    for (let k = 0; k < nodes; k++) {
        for (const t of plan.ru)
            yield { at: runStart, text: `${prefix(task, k, pids[k], false)} ${t}` };
    }
    const head = prefix(task, 0, pids[0], false);
    if (plan.url) {
        const expUrl = plan.url.includes('/runs/') ? plan.url.slice(0, plan.url.indexOf('/runs/')) : plan.url;
        yield { at: runStart + 1, text: `${head} 🏃 View run ${task.name}-${job.id} at: ${plan.url}` };
        yield { at: runStart + 1, text: `${head} 🧪 View experiment at: ${expUrl}` };
    }
    const limit = att.plannedEnd ?? Number.POSITIVE_INFINITY;
    for (let i = 1; i <= plan.n; i++) {
        const at = runStart + i * plan.iv;
        if (at >= limit)
            break;
        yield { at, text: `${head} ${progressLine(job.id, i, plan.n)}` };
    }
    if (finalFail)
        yield* failureLines(job, task, att, pids, false);
}
/** Whether this attempt is the one that ends the task in a user-program failure (per the plan). */
function isFinalFailure(task, att) {
    if (task.log.ph === undefined || task.log.ph === 'provision' || att.plannedEnd === undefined)
        return false;
    const idx = task.tl.findIndex(([s, at]) => s === 'RUNNING' && at === att.start);
    const next = task.tl[idx + 1];
    return next !== undefined && (next[0] === 'FAILED' || next[0] === 'FAILED_SETUP');
}
function* failureLines(job, task, att, pids, setup) {
    const at = att.plannedEnd;
    const head = prefix(task, 0, pids[0], setup);
    const lines = task.log.cat ? categoryLines(task.log.cat) : [];
    let hasEpilogue = false;
    for (const l of lines) {
        if (l.startsWith('ERROR: Job ')) {
            hasEpilogue = true;
            // The library's epilogue carries the pid of its source run; use this attempt's.
            yield { at, text: colorEpilogue(l.replace(/\(pid=\d+,/, `(pid=${pids[0]},`).replace(/\(pid=\d+\)/, `(pid=${pids[0]})`)) };
        }
        else
            yield { at, text: `${head} ${l}` };
    }
    if (lines.length === 0) {
        yield { at, text: `${head} ${setup ? 'setup' : 'run'} command exited with code ${task.log.rc ?? 1}` };
    }
    if (hasEpilogue)
        return;
    const rc = task.log.rc ?? 1;
    if (setup) {
        yield {
            at,
            text: `ERROR: ${FORE.red}Job 1's setup failed. Failed workers: (pid=${pids[0]}, returncode=${rc}). See error logs above for more details.${RESET}`,
        };
    }
    else if (task.log.nodes > 1) {
        const codes = plannedExitCodes(task.log, false);
        yield {
            at,
            text: `ERROR: ${FORE.red}Job 1 failed with return code list:${RESET} [${codes.join(', ')}] (A Worker failed with return code ${rc}, SkyPilot cleaned up the processes on other nodes with return code 137)`,
        };
    }
    else {
        yield { at, text: `ERROR: ${FORE.red}Job 1 failed with return code list:${RESET} [${rc}] ` };
    }
}
function colorEpilogue(l) {
    const m = /^ERROR: (Job 1 failed with return code list:)(.*)$/.exec(l);
    return m ? `ERROR: ${FORE.red}${m[1]}${RESET}${m[2]}` : l;
}
/** Cluster-side job status an attempt ended with (for `✓ Job finished (status: X).`). */
export function clusterJobStatus(managedStatus) {
    if (managedStatus === 'FAILED_SETUP')
        return 'FAILED_SETUP';
    if (managedStatus === 'SUCCEEDED')
        return 'SUCCEEDED';
    if (managedStatus === 'CANCELLING' || managedStatus === 'CANCELLED')
        return 'CANCELLED';
    if (managedStatus === 'FAILED_CONTROLLER')
        return 'FAILED_DRIVER';
    return 'FAILED';
}
/** The last attempt's lines written by time t (the log `sky jobs logs --no-follow` shows). */
export function* currentLogLines(job, taskIdx, t) {
    const atts = attempts(job.tasks[taskIdx], t);
    const att = atts[atts.length - 1];
    if (!att)
        return;
    const stop = Math.min(t, att.end ?? Number.POSITIVE_INFINITY);
    for (const l of attemptLines(job, taskIdx, att)) {
        if (l.at > stop)
            break;
        yield l.text;
    }
}
function fmtTs(t) {
    const d = new Date(t * 1000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}-${String(Math.floor((t % 1) * 1e6)).padStart(6, '0')}`;
}
export function runTimestamp(t) {
    return `sky-${fmtTs(t)}`;
}
/** A provision-phase category's controller text without the header lines we generate ourselves. */
function categoryBody(task) {
    if (task.log.ph !== 'provision' || !task.log.cat)
        return undefined;
    const lines = categoryLines(task.log.cat).filter((l) => !l.startsWith('Submitted managed job ') && l !== 'Started monitoring.');
    return lines.length ? lines : undefined;
}
/** Controller log (`sky jobs logs --controller`) lines with their times. */
export function* controllerLines(job) {
    const multi = job.tasks.length > 1;
    const stamp = job.rts.replace(/^sky-/, '');
    for (const [i, task] of job.tasks.entries()) {
        const start = task.sub;
        if (start === undefined) {
            const term = task.tl.find(([s]) => s.startsWith('FAILED') || s === 'CANCELLED');
            if (term && i > 0)
                yield { at: term[1], text: `Skip running task ${i} (${task.name}) due to its previous task failure.` };
            continue;
        }
        const tname = multi ? `${job.name}_${task.name}` : task.name;
        yield {
            at: start,
            text: `Submitted managed job ${job.id} (task: ${i}, name: '${task.name}'); SKYPILOT_TASK_ID: sky-managed-${stamp}_${tname}_${job.id}-${i}`,
        };
        yield { at: start, text: 'Started monitoring.' };
        const cluster = `${task.name}-${job.id}`;
        const body = categoryBody(task);
        let bodyUsed = false;
        if (task.loop) {
            const until = task.loop.until ?? Number.POSITIVE_INFINITY;
            const period = task.loop.a + task.loop.b;
            for (let c = task.loop.from + task.loop.a; c < until; c += period) {
                if (body && !bodyUsed) {
                    bodyUsed = true;
                    for (const text of body)
                        yield { at: c, text };
                    continue;
                }
                yield {
                    at: c,
                    text: `Failed to launch a cluster with error: sky.exceptions.ResourcesUnavailableError: Failed to acquire resources in all zones in ${task.region || 'us-east-1'} for {${task.cres}}. )`,
                };
                yield { at: c, text: `Retrying to launch the cluster in ${task.loop.b.toFixed(1)} seconds.` };
            }
        }
        for (let k = 1; k < task.tl.length; k++) {
            const [s, at] = task.tl[k];
            const prev = task.tl[k - 1][0];
            if (s === 'RUNNING') {
                if (prev === 'RECOVERING' && body)
                    continue; // the category text already shows the relaunch
                yield { at, text: 'Managed job cluster launched.' };
                if (prev === 'STARTING')
                    yield { at, text: `Cluster launch completed in ${(at - task.tl[k - 1][1]).toFixed(2)}s` };
            }
            else if (s === 'RECOVERING' && body) {
                const from = body.findIndex((l) => l.includes('preempted or failed'));
                for (const text of body.slice(Math.max(from, 0)))
                    yield { at, text };
                bodyUsed = true;
            }
            else if ((s === 'FAILED_PRECHECKS' || s === 'FAILED_NO_RESOURCE' || s === 'FAILED_CONTROLLER') && body && !bodyUsed) {
                for (const text of body)
                    yield { at, text };
            }
            else if (s === 'RECOVERING') {
                yield { at, text: '=== Checking the job status... ===' };
                yield { at, text: 'Cluster is preempted or failed (status: INIT). Recovering...' };
                yield { at, text: '=== Recovering... ===' };
            }
            else if (s === 'SUCCEEDED') {
                yield { at, text: `Task ${i} succeeded! Getting end time and cleaning up` };
                yield { at, text: `Managed job ${job.id} (task: ${i}) SUCCEEDED. Cleaning up the cluster ${cluster}.` };
            }
            else if (s === 'FAILED' || s === 'FAILED_SETUP') {
                const js = s === 'FAILED' ? 'JobStatus.FAILED' : 'JobStatus.FAILED_SETUP';
                yield { at, text: `Task ${i} failed with status: ${js}` };
                yield { at, text: `The user job failed (${js}). Please check the logs below.` };
                yield { at, text: `== Logs of the user job (ID: ${job.id}) ==` };
                yield { at, text: '' };
                const atts = attempts(task);
                const last = atts[atts.length - 1];
                if (last)
                    for (const l of attemptLines(job, i, last))
                        yield { at, text: l.text };
                yield { at, text: '' };
                yield { at, text: `== End of logs (ID: ${job.id}) ==` };
                yield { at, text: `Task ${i} failed and will not be retried` };
            }
            else if (s === 'FAILED_PRECHECKS') {
                const reasons = (task.fr ?? '').replace(/^\[([\w.]+)\] /, '$1: ');
                yield { at, text: `Failure happened before provisioning. Failover reasons: ${reasons}` };
                yield { at, text: `Provision prechecks failed for task ${i}` };
                yield { at, text: task.fr ?? '' };
            }
            else if (s === 'FAILED_NO_RESOURCE') {
                yield { at, text: `Managed job reached max retries for task ${i}` };
                yield { at, text: task.fr ?? '' };
            }
            else if (s === 'FAILED_CONTROLLER') {
                yield { at, text: `Unexpected error in JobsController run for task ${i}` };
                yield { at, text: task.fr ?? '' };
            }
            else if (s === 'CANCELLING') {
                yield { at, text: `Cancelling managed job, job_id: ${job.id}, task_id: ${i}` };
            }
            else if (s === 'CANCELLED') {
                yield { at, text: `Job ${job.id} cancelled` };
            }
        }
    }
}
