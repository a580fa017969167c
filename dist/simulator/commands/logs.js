// `sky jobs logs` (and the log-following half of `sky jobs launch`), after
// sky/jobs/utils.py stream_logs_by_id / stream_logs.
import { exitCodeForStatus, isTerminal, JOB_EXIT_CODES } from '../../sky/job-status.js';
import { FORE, RESET } from '../ansi.js';
import { parseCommand } from '../args.js';
import { CONTROLLER_NOT_UP, controllerState } from '../controller.js';
import { SkyException } from '../errors.js';
import { attemptLines, clusterJobStatus, controllerLines } from '../job-logs.js';
import { sleep, stderr, stdout } from '../output.js';
import { readState, simNow, simSpeed } from '../state.js';
import { attempts, jobStatus, nextChange, statusAt } from '../timeline.js';
const DEFAULT_TAIL = 1000;
function spec(p) {
    const options = [
        { names: ['--name', '-n'], dest: 'name', kind: 'string' },
        { names: ['--follow'], negNames: ['--no-follow'], dest: 'follow', kind: 'flag' },
        { names: ['--controller'], dest: 'controller', kind: 'flag' },
        { names: ['--refresh', '-r'], dest: 'refresh', kind: 'flag' },
        { names: ['--sync-down', '-s'], dest: 'syncDown', kind: 'flag' },
    ];
    if (p.has.logsTail)
        options.push({ names: ['--tail'], dest: 'tail', kind: 'int' });
    const args = [{ name: 'JOB_ID', kind: 'int', nargs: 1, required: false }];
    if (p.has.logsTaskArg)
        args.push({ name: 'TASK', kind: 'string', nargs: 1, required: false });
    return { path: 'sky jobs logs', options, args };
}
function loadJob(id) {
    const state = readState();
    return { job: state.jobs.find((j) => j.id === id), now: simNow(state) };
}
/** Real-time wait until simulated time `at` (or a short poll when the clock is frozen). */
async function waitFor(now, at) {
    const speed = simSpeed();
    let ms = 250;
    if (at !== undefined && speed > 0)
        ms = ((at - now) / speed) * 1000;
    await sleep(Math.min(Math.max(ms, 15), 500));
}
export async function jobsLogs(argv, p) {
    const { opts, args } = parseCommand(spec(p), argv);
    const follow = opts.follow !== false;
    let tail;
    if (p.has.logsTail) {
        const raw = opts.tail;
        if (raw === undefined) {
            if (follow && opts.controller !== true) {
                await stderr.line(`Showing the last ${DEFAULT_TAIL} lines (default). Pass --tail 0 to print the entire log.`);
                tail = DEFAULT_TAIL;
            }
        }
        else if (raw > 0)
            tail = raw;
    }
    const state = readState();
    let jobId = args.JOB_ID;
    const name = opts.name;
    if (jobId === undefined && name !== undefined) {
        const now = simNow(state);
        const ids = state.jobs.filter((j) => j.name === name && !isTerminal(jobStatus(j, now).status)).map((j) => j.id);
        if (ids.length === 0) {
            await stdout.relayed(`No running managed job found with name '${name}'.`);
            return JOB_EXIT_CODES.NOT_FOUND;
        }
        if (ids.length > 1) {
            throw new SkyException('ValueError', `Multiple managed jobs found with name '${name}' (Job IDs: ${ids.join(', ')}). Please specify the job_id instead.`);
        }
        jobId = ids[0];
    }
    if (jobId === undefined) {
        const latest = state.jobs.reduce((m, j) => Math.max(m, j.id), 0);
        if (latest === 0) {
            await stdout.relayed('No managed job found.');
            return JOB_EXIT_CODES.NOT_FOUND;
        }
        jobId = latest;
    }
    if (controllerState() !== 'up') {
        // The API server's ClusterNotUpError: 0.9.3's client raises it, later clients end silently with 0.
        if (!p.has.logsQuietWithoutController)
            throw new SkyException('ClusterNotUpError', CONTROLLER_NOT_UP);
        return 0;
    }
    const job = state.jobs.find((j) => j.id === jobId);
    if (opts.controller === true) {
        if (!job)
            throw new SkyException('ValueError', `Job ${jobId} not found.`);
        return streamController(jobId, follow);
    }
    if (!job) {
        // 0.9.3 and 0.10 wait for the job to appear, printing nothing, forever.
        if (!p.has.logsUnknownJobNotFound)
            for (;;)
                await sleep(60_000);
        await stdout.relayed(`Job ${jobId} not found.`);
        return 0;
    }
    let taskFilter;
    const taskArg = args.TASK;
    if (taskArg !== undefined) {
        const idx = /^\d+$/.test(taskArg) ? Number(taskArg) : job.tasks.findIndex((t) => t.name === taskArg);
        if (idx < 0 || idx >= job.tasks.length) {
            const range = job.tasks.length > 1 ? `0-${job.tasks.length - 1}` : '0';
            const shown = /^\d+$/.test(taskArg) ? taskArg : `'${taskArg}'`;
            await stdout.relayed(`No task found matching ${shown} in job ${jobId}. Valid task IDs are ${range}.`);
            return JOB_EXIT_CODES.NOT_FOUND;
        }
        taskFilter = idx;
    }
    return streamJob(jobId, { follow, tail, taskFilter, hint: taskArg === undefined, profile: p });
}
async function printAttempt(job, taskIdx, stop, tail) {
    const atts = attempts(job.tasks[taskIdx], stop);
    const att = atts[atts.length - 1];
    if (!att)
        return;
    const end = Math.min(stop, att.end ?? Number.POSITIVE_INFINITY);
    let skip = 0;
    if (tail !== undefined) {
        let count = 0;
        for (const l of attemptLines(job, taskIdx, att)) {
            if (l.at > end)
                break;
            count++;
        }
        skip = Math.max(count - tail, 0);
    }
    let i = 0;
    for (const l of attemptLines(job, taskIdx, att)) {
        if (l.at > end)
            break;
        if (i++ < skip)
            continue;
        await stdout.relayed(l.text);
    }
}
/** The exit status: the JobExitCode when following, and with 0.9.3 always; from 0.10 `--no-follow` exits 0. */
function endCode(status, o) {
    return o.follow || !o.profile.has.noFollowExitsZero ? exitCodeForStatus(status) : 0;
}
/** Follows (or prints) a job's log; returns the JobExitCode. Also used by `sky jobs launch`. */
export async function streamJob(jobId, o) {
    let { job, now } = loadJob(jobId);
    if (!job) {
        await stdout.relayed(`Job ${jobId} not found.`);
        return JOB_EXIT_CODES.NOT_FOUND;
    }
    const nTasks = job.tasks.length;
    if (nTasks > 1 && o.hint) {
        await stdout.relayed(`${FORE.cyan}Hint: This job has ${nTasks} tasks. Use 'sky jobs logs ${jobId} TASK' to view logs for a specific task (TASK can be task ID or name).${RESET}`);
    }
    const status = jobStatus(job, now).status;
    if (isTerminal(status)) {
        const taskIds = o.taskFilter !== undefined ? [o.taskFilter] : job.tasks.map((_, i) => i);
        let any = false;
        for (const i of taskIds) {
            const task = job.tasks[i];
            if (attempts(task, now).length === 0 || task.log.kept === null)
                continue;
            any = true;
            const label = `Task ${task.name}(${i})`;
            if (nTasks > 1 || o.taskFilter !== undefined)
                await stdout.relayed(`=== ${label} ===`);
            if (task.log.kept)
                for (const line of task.log.kept)
                    await stdout.relayed(line);
            else
                await printAttempt(job, i, now, o.tail);
            const ts = statusAt(task, now).status;
            if ((nTasks > 1 || o.taskFilter !== undefined) && isTerminal(ts)) {
                await stdout.relayed(`${RESET}${FORE.green}✓ ${label} finished (status: ${ts}).${RESET}${RESET}`);
            }
        }
        if (any) {
            // 0.10 added the epilogue; the CLI then echoes the (empty) message.
            if (o.profile.has.jobFinishedEpilogue)
                await stdout.relayed(`${RESET}${FORE.green}✓ Job finished (status: ${status}).${RESET}${RESET}`);
            await stdout.relayed('');
            return endCode(status, o);
        }
        let msg = `${FORE.yellow}Job ${jobId} is already in terminal state ${status}. For more details, run: sky jobs logs --controller ${jobId}${RESET}`;
        if (status.startsWith('FAILED')) {
            const failed = job.tasks.find((t) => statusAt(t, now).status === status);
            msg += `\nFailure reason: ${failed?.fr ?? null}`;
        }
        await stdout.relayed(msg);
        return endCode(status, o);
    }
    if (!o.follow) {
        // SkyPilot waits for the job to be RUNNING, prints the log so far, and returns 0.
        for (;;) {
            ({ job, now } = loadJob(jobId));
            if (!job)
                return JOB_EXIT_CODES.NOT_FOUND;
            const { status: s, taskId } = jobStatus(job, now);
            const idx = o.taskFilter ?? taskId;
            if (isTerminal(s) || s === 'CANCELLING')
                break;
            if (statusAt(job.tasks[idx], now).status === 'RUNNING') {
                await printAttempt(job, idx, now, o.tail);
                return JOB_EXIT_CODES.SUCCEEDED;
            }
            await stdout.flush();
            await waitFor(now, nextChange(job, now));
        }
    }
    let taskIdx = o.taskFilter ?? jobStatus(job, now).taskId;
    let attIdx = -1;
    let gen;
    let pending;
    let firstAttempt = true;
    while (o.follow) {
        ({ job, now } = loadJob(jobId));
        if (!job)
            return JOB_EXIT_CODES.NOT_FOUND;
        const task = job.tasks[taskIdx];
        const atts = attempts(task, now);
        if (atts.length - 1 > attIdx && !(gen && pending && !pending.done)) {
            if (attIdx >= 0)
                await stdout.relayed(`${FORE.yellow}The job cluster is preempted or failed.${RESET}`);
            attIdx = atts.length - 1;
            const att = atts[attIdx];
            gen = attemptLines(job, taskIdx, att);
            pending = gen.next();
            if (firstAttempt && o.tail !== undefined) {
                const stop = Math.min(now, att.end ?? Number.POSITIVE_INFINITY);
                let count = 0;
                for (const l of attemptLines(job, taskIdx, att)) {
                    if (l.at > stop)
                        break;
                    count++;
                }
                for (let k = 0; k < count - o.tail && pending && !pending.done; k++)
                    pending = gen.next();
            }
            firstAttempt = false;
        }
        let waitUntil = nextChange(job, now);
        if (gen && pending) {
            const att = atts[attIdx];
            const stop = Math.min(now, att?.end ?? Number.POSITIVE_INFINITY);
            while (!pending.done && pending.value.at <= stop) {
                await stdout.relayed(pending.value.text);
                pending = gen.next();
            }
            if (!pending.done && pending.value.at > now && (waitUntil === undefined || pending.value.at < waitUntil)) {
                waitUntil = pending.value.at;
            }
            const finished = att?.end !== undefined && (pending.done || pending.value.at > att.end);
            if (finished && att) {
                pending = { done: true, value: undefined };
                const endStatus = att.endStatus ?? 'FAILED';
                if (endStatus !== 'RECOVERING' && endStatus !== 'PENDING') {
                    await stdout.relayed(`${RESET}${FORE.green}✓ Job finished (status: ${clusterJobStatus(endStatus)}).${RESET}${RESET}`);
                    if (endStatus === 'SUCCEEDED' && o.taskFilter === undefined && taskIdx < job.tasks.length - 1) {
                        await stdout.relayed('');
                        taskIdx++;
                        attIdx = -1;
                        gen = undefined;
                        pending = undefined;
                        continue;
                    }
                    break;
                }
            }
        }
        else {
            const s = statusAt(task, now).status;
            if (isTerminal(s) || s === 'CANCELLING')
                break;
        }
        await stdout.flush();
        await waitFor(now, waitUntil);
    }
    // Wait for the managed job's final status (e.g. CANCELLING -> CANCELLED).
    for (;;) {
        ({ job, now } = loadJob(jobId));
        if (!job)
            return JOB_EXIT_CODES.NOT_FOUND;
        const s = jobStatus(job, now).status;
        if (!o.follow && !isTerminal(s))
            return JOB_EXIT_CODES.SUCCEEDED;
        if (isTerminal(s)) {
            await stdout.relayed(`${RESET}${FORE.green}✓ Managed job finished: ${jobId} (status: ${s}).${RESET}${RESET}`);
            return exitCodeForStatus(s);
        }
        await stdout.flush();
        await waitFor(now, nextChange(job, now));
    }
}
async function streamController(jobId, follow) {
    let printed = 0;
    for (;;) {
        const { job, now } = loadJob(jobId);
        if (!job)
            return JOB_EXIT_CODES.NOT_FOUND;
        let i = 0;
        let nextAt;
        for (const l of controllerLines(job)) {
            if (l.at > now) {
                nextAt = l.at;
                break;
            }
            if (i++ >= printed) {
                await stdout.relayed(l.text);
                printed = i;
            }
        }
        const s = jobStatus(job, now).status;
        if (isTerminal(s))
            return exitCodeForStatus(s);
        if (!follow)
            return JOB_EXIT_CODES.SUCCEEDED;
        await stdout.flush();
        const change = nextChange(job, now);
        await waitFor(now, nextAt === undefined ? change : change === undefined ? nextAt : Math.min(nextAt, change));
    }
}
