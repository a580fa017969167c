// `sky jobs queue`: the table (sky/jobs/utils.py format_job_table) or `-o json` records.
import { isTerminal, JOB_STATUSES } from '../../sky/job-status.js';
import { BRIGHT, coloredStatus, FORE, RESET } from '../ansi.js';
import { BARE, parseCommand } from '../args.js';
import { CONTROLLER_NOT_UP, controllerState } from '../controller.js';
import { ClickUsageError, SkyException } from '../errors.js';
import { currentUser } from '../identity.js';
import { stderr, stdout } from '../output.js';
import { PyFloat, pyDumps } from '../pyjson.js';
import { readState, simNow } from '../state.js';
import { renderTable } from '../table.js';
import { readableTimeDuration } from '../time-format.js';
import { jobStatus, statusAt, taskView } from '../timeline.js';
const NUM_TO_SHOW = 50;
function spec(p) {
    const options = [
        { names: ['--verbose', '-v'], dest: 'verbose', kind: 'flag' },
        { names: ['--refresh', '-r'], dest: 'refresh', kind: 'flag' },
        { names: ['--all-users', '-u'], dest: 'allUsers', kind: 'flag' },
        { names: ['--all', '-a'], dest: 'all', kind: 'flag' },
        { names: ['--config'], dest: 'config', kind: 'multi' },
    ];
    if (p.has.queueLimit)
        options.push({ names: ['--limit', '-l'], dest: 'limit', kind: 'int' });
    if (p.has.statusFilter) {
        options.push({ names: ['--skip-finished'], dest: 'skipFinished', kind: 'flag' }, { names: ['-s', '--status'], dest: 'statuses', kind: 'optional' });
    }
    else
        options.push({ names: ['--skip-finished', '-s'], dest: 'skipFinished', kind: 'flag' });
    if (p.has.queueJson)
        options.push({ names: ['--output', '-o'], dest: 'output', kind: 'string' });
    return { path: 'sky jobs queue', options, args: [] };
}
export async function jobsQueue(argv, p) {
    const cs = spec(p);
    const { opts } = parseCommand(cs, argv);
    const verbose = opts.verbose === true;
    const allUsers = opts.allUsers === true;
    let skipFinished = opts.skipFinished === true;
    const output = opts.output ?? 'table';
    if (output !== 'table' && output !== 'json') {
        throw new ClickUsageError(`Usage: ${cs.path} [OPTIONS]`, cs.path, `Invalid value for '--output' / '-o': '${output}' is not one of 'table', 'json'.`);
    }
    let statusFilter;
    const rawStatuses = opts.statuses ?? [];
    for (const raw of rawStatuses) {
        if (raw === BARE) {
            await stderr.line(`${FORE.yellow}Warning: \`-s\` without a value is a deprecated alias for \`--skip-finished\` and will be removed in 0.15.0. Use \`--skip-finished\`, or pass a status (e.g. \`-s RUNNING\`).${RESET}`);
            skipFinished = true;
            continue;
        }
        for (const part of raw.split(',').map((x) => x.trim()).filter(Boolean)) {
            const up = part.toUpperCase();
            if (!JOB_STATUSES.includes(up)) {
                throw new ClickUsageError(`Usage: ${cs.path} [OPTIONS]`, cs.path, `Invalid value for '-s' / '--status': '${part}' is not one of ${JOB_STATUSES.map((s) => `'${s.toLowerCase()}'`).join(', ')}.`);
            }
            (statusFilter ??= []).push(up);
        }
    }
    const limit = opts.all === true ? undefined : (opts.limit ?? NUM_TO_SHOW);
    const controller = controllerState();
    if (controller !== 'up' && opts.refresh !== true) {
        // `-o json` passes the API server's ClusterNotUpError through; the table turns it into a hint.
        if (output === 'json')
            throw new SkyException('ClusterNotUpError', CONTROLLER_NOT_UP);
        // The API server's ClusterNotUpError, turned into a hint by the CLI.
        const hint = controller === 'absent'
            ? ` (See: ${BRIGHT}sky jobs -h${RESET})`
            : ` (See finished managed jobs: ${BRIGHT}sky jobs queue --refresh${RESET})`;
        await stdout.line(`${FORE.cyan}Fetching managed job statuses...${RESET}`);
        await stdout.line(`${FORE.cyan}${BRIGHT}Managed jobs${RESET}${skipFinished ? ' (showing in-progress jobs only)' : ''}`);
        await stdout.line(`${CONTROLLER_NOT_UP}${hint}`);
        return 0;
    }
    const state = readState();
    const now = simNow(state);
    const me = currentUser();
    let jobs = [...state.jobs].sort((a, b) => b.id - a.id);
    if (!allUsers)
        jobs = jobs.filter((j) => j.uh === me.hash);
    if (skipFinished)
        jobs = jobs.filter((j) => !isTerminal(jobStatus(j, now).status));
    if (statusFilter) {
        const want = new Set(statusFilter);
        jobs = jobs.filter((j) => j.tasks.some((t) => want.has(statusAt(t, now).status)));
    }
    const total = jobs.length;
    // Server-side limit (jobs), as queue_v2 applies it; 0.9.3 has none.
    const shown = !p.has.queueLimit || limit === undefined ? jobs : jobs.slice(0, limit);
    let rows = shown.flatMap((job) => job.tasks.map((task, taskId) => ({ job, taskId, task, v: taskView(task, now) })));
    if (output === 'json') {
        // Timestamps are shown on the real clock at the age they have in simulated time, so a client comparing
        // them with its own clock sees "submitted 20 minutes ago" even when 20 simulated minutes took 12 s.
        const wallClock = (t) => Date.now() / 1000 - (now - t);
        await stdout.line(pyDumps(rows.map((r) => jsonRecord(r, p, now, verbose, allUsers, wallClock))));
        return 0;
    }
    const counts = new Map();
    for (const job of jobs) {
        for (const task of job.tasks) {
            const s = statusAt(task, now).status;
            if (!isTerminal(s))
                counts.set(s, (counts.get(s) ?? 0) + 1);
        }
    }
    // The client truncates the task list to max_jobs rows (format_job_table: tasks[:max_jobs]).
    if (limit !== undefined)
        rows = rows.slice(0, limit);
    const table = formatTable(rows, p, verbose, allUsers, now);
    const statusNames = [...counts.keys()].sort();
    const statusStr = statusNames.length
        ? `In progress tasks: ${statusNames.map((s) => `${counts.get(s)} ${s}`).join(', ')}`
        : 'No in-progress managed jobs.';
    await stdout.line(`${FORE.cyan}Fetching managed job statuses...${RESET}`);
    const hint = skipFinished ? ' (showing in-progress jobs only)' : '';
    await stdout.line(`${FORE.cyan}${BRIGHT}Managed jobs${RESET}${hint}`);
    await stdout.line(table ? `${statusStr}\n${table}` : statusStr);
    if (limit !== undefined && total > limit) {
        const more = p.has.queueLimit
            ? '(use --limit to show more managed jobs or --all to show all managed jobs)'
            : '(use --all to show all managed jobs)';
        await stdout.line(`${FORE.cyan}Only showing the latest ${limit} managed jobs${more} ${RESET} `);
    }
    return 0;
}
function formatTable(rows, p, verbose, showUser, now) {
    const byJob = new Map();
    for (const r of rows) {
        const list = byJob.get(r.job.id);
        if (list)
            list.push(r);
        else
            byJob.set(r.job.id, [r]);
    }
    const old = !p.has.workspaceQueueTable;
    const workspaces = new Set([...byJob.values()].map((rs) => rs[0].job.ws));
    const showWs = !old && (workspaces.size > 1 || verbose);
    const userCols = showUser ? (verbose ? ['USER', 'USER_ID'] : ['USER']) : [];
    const columns = [
        'ID',
        'TASK',
        ...(showWs ? ['WORKSPACE'] : []),
        'NAME',
        ...userCols,
        old ? 'RESOURCES' : 'REQUESTED',
        'SUBMITTED',
        'TOT. DURATION',
        'JOB DURATION',
        '#RECOVERIES',
        'STATUS',
        ...(p.has.queueJson ? ['PROGRESS'] : []),
        ...(old ? [] : ['POOL']),
    ];
    if (verbose) {
        columns.push(...(old
            ? ['STARTED', 'CLUSTER', 'REGION', 'SCHED. STATE', 'DETAILS']
            : ['WORKER_CLUSTER', 'WORKER_JOB_ID', 'STARTED', 'INFRA', 'RESOURCES', 'SCHED. STATE', 'DETAILS', 'GIT_COMMIT']));
    }
    const userValues = (job) => (showUser ? (verbose ? [job.user, job.uh] : [job.user]) : []);
    const out = [];
    for (const rs of byJob.values()) {
        const job = rs[0].job;
        const { status, taskId } = jobStatus(job, now);
        const jobSched = jobScheduleState(status, taskId, rs[taskId]?.v ?? rs[0].v);
        const taskStatuses = new Set(job.tasks.map((t) => statusAt(t, now).status));
        if (rs.length > 1) {
            let jobDuration = 0;
            let submitted = null;
            let end = 0;
            let rec = 0;
            for (const r of rs) {
                jobDuration += r.v.jobDuration;
                if (r.v.submittedAt !== null && (submitted === null || submitted > r.v.submittedAt))
                    submitted = r.v.submittedAt;
                if (r.v.endAt !== null) {
                    if (end !== null && end < r.v.endAt)
                        end = r.v.endAt;
                }
                else
                    end = null;
                rec += r.v.recoveryCount;
            }
            let statusCell = coloredStatus(status);
            if (!isTerminal(status))
                statusCell += ` (task: ${taskId})`;
            const row = [
                job.id,
                '',
                ...(showWs ? [''] : []),
                job.name,
                ...userValues(job),
                '-',
                readableTimeDuration(submitted, null, false, now),
                readableTimeDuration(submitted, end, true, now),
                readableTimeDuration(0, jobDuration, true, now),
                rec,
                statusCell,
                ...(p.has.queueJson ? ['-'] : []),
                ...(old ? [] : ['-']),
            ];
            if (verbose) {
                const cur = rs[taskId]?.v ?? rs[0].v;
                row.push(...(old
                    ? ['-', '-', '-', jobSched, cur.failureReason ? `Failure: ${cur.failureReason}` : '-']
                    : ['-', '-', '-', '-', '-', jobSched, detailsOf(cur, jobSched, p, taskStatuses) ?? '-', '-']));
            }
            out.push(row);
        }
        for (const r of rs) {
            const v = r.v;
            const single = rs.length === 1;
            const row = [
                single ? job.id : ' \u21B3',
                single ? '-' : r.taskId,
                ...(showWs ? [single ? job.ws : '-'] : []),
                r.task.name,
                ...userValues(job),
                r.task.res,
                readableTimeDuration(v.submittedAt, null, false, now),
                readableTimeDuration(v.submittedAt, v.endAt, true, now),
                readableTimeDuration(0, v.jobDuration, true, now),
                v.recoveryCount,
                coloredStatus(v.status),
                ...(p.has.queueJson ? ['-'] : []),
                ...(old ? [] : ['-']),
            ];
            if (verbose) {
                const alive = clusterAlive(v.status);
                if (old) {
                    row.push(readableTimeDuration(v.startAt, null, false, now), alive ? r.task.cres : '-', alive ? r.task.region || '-' : '-', single ? v.scheduleState : '-', v.failureReason ? `Failure: ${v.failureReason}` : '-');
                }
                else {
                    row.push(clusterName(r.task, job, v) ?? 'None', 'None', readableTimeDuration(v.startAt, null, false, now), alive ? r.task.infra : '-', alive ? r.task.cres : '-', single ? v.scheduleState : '-', detailsOf(v, jobSched, p, taskStatuses) ?? '-', '-');
                }
            }
            out.push(row);
        }
        if (rs.length > 1)
            out.push(columns.map(() => ''));
    }
    return renderTable(columns, out);
}
/**
 * A row's DETAILS (sky/jobs/utils.py): what the job's schedule state says (one per job: a pipeline task waiting
 * its turn is not "waiting for other jobs"), else the failure; newer releases then add the reason from the
 * job's event table for a recovering or pending task, or (0.13) for every task of a job with one (the simulated
 * recoveries are preemptions).
 */
function detailsOf(v, jobSched, p, jobTaskStatuses) {
    const state = jobSched === 'ALIVE_BACKOFF' ? 'In backoff, waiting for resources' : jobSched === 'WAITING' ? 'Waiting for other jobs to launch' : null;
    if (state)
        return v.failureReason ? `${state} - ${v.failureReason}` : state;
    if (v.failureReason)
        return `Failure: ${v.failureReason}`;
    const inStatus = (s) => p.has.eventReasons && (p.has.eventReasonsPerTask ? v.status === s : jobTaskStatuses.has(s));
    if (inStatus('RECOVERING'))
        return 'Recovering: Cluster preempted or failed, recovering';
    if (inStatus('PENDING'))
        return 'Job submitted to queue';
    return null;
}
/** The job's schedule state (one per job in SkyPilot): a later pipeline task waiting to start keeps the job ALIVE. */
function jobScheduleState(status, taskId, current) {
    if (isTerminal(status))
        return 'DONE';
    if (taskId > 0 && status === 'PENDING')
        return 'ALIVE';
    return current.scheduleState;
}
function clusterAlive(status) {
    return status === 'RUNNING' || status === 'CANCELLING';
}
function clusterName(task, job, v) {
    if (task.cluster !== undefined)
        return task.cluster;
    return v.status === 'PENDING' && v.startAt === null ? null : `${task.name}-${job.id}`;
}
const RECORD_FIELDS = [
    'task_job_id', 'job_id', 'task_id', 'job_name', 'task_name', 'job_duration', 'workspace', 'status',
    'schedule_state', 'resources', 'cluster_resources', 'cluster_resources_full', 'cloud', 'region', 'zone',
    'infra', 'recovery_count', 'details', 'failure_reason', 'user_name', 'user_hash', 'submitted_at', 'start_at',
    'end_at', 'user_yaml', 'entrypoint', 'metadata', 'controller_pid', 'controller_pid_started_at', 'dag_yaml_path',
    'env_file_path', 'last_recovered_at', 'run_timestamp', 'priority', 'priority_class', 'original_user_yaml_path',
    'pool', 'pool_hash', 'current_cluster_name', 'cluster_name_on_cloud', 'job_id_on_pool_cluster', 'accelerators',
    'labels', 'links', 'node_names', 'execution', 'is_job_group', 'is_primary_in_job_group', 'is_batch',
    'batch_total_batches', 'batch_completed_batches', 'internal_external_ips', 'internal_services',
];
const withJobGroupFields = (() => {
    const at = RECORD_FIELDS.indexOf('is_batch');
    return [...RECORD_FIELDS.slice(0, at), 'root_job_id', 'parent_job_id', 'parent_task_id', 'dynamic_task_index', ...RECORD_FIELDS.slice(at)];
})();
/** One ManagedJobRecord as `model_dump(mode='json')`: every field, `null` unless fetched (the CLI asks for some only). */
function jsonRecord(r, p, now, verbose, allUsers, wallClock) {
    const fields = p.has.jobGroupFields ? withJobGroupFields : RECORD_FIELDS;
    const rec = Object.fromEntries(fields.map((f) => [f, null]));
    const v = r.v;
    const f = (x) => (x === null ? null : new PyFloat(wallClock(x)));
    Object.assign(rec, {
        job_id: r.job.id,
        task_id: r.taskId,
        workspace: r.job.ws,
        job_name: r.job.name,
        task_name: r.task.name,
        resources: r.task.res,
        submitted_at: f(v.submittedAt),
        end_at: f(v.endAt),
        job_duration: new PyFloat(v.jobDuration),
        recovery_count: v.recoveryCount,
        status: v.status,
    });
    if (!p.has.fieldsAsRequested) {
        // -1 until the first start, like the database's default.
        Object.assign(rec, { last_recovered_at: v.lastRecoveredAt < 0 ? new PyFloat(-1) : f(v.lastRecoveredAt), is_job_group: false });
    }
    if (allUsers)
        Object.assign(rec, { user_name: r.job.user, user_hash: r.job.uh });
    if (verbose) {
        const alive = clusterAlive(v.status);
        const { status, taskId } = jobStatus(r.job, now);
        const jobSched = jobScheduleState(status, taskId, taskView(r.job.tasks[taskId] ?? r.task, now));
        const noCluster = r.task.cluster === null;
        Object.assign(rec, {
            current_cluster_name: clusterName(r.task, r.job, v),
            start_at: f(v.startAt),
            infra: alive ? r.task.infra : '-',
            cloud: alive ? r.task.cloud : '-',
            region: alive ? r.task.region : '-',
            zone: alive ? (r.task.zone ?? null) : '-',
            cluster_resources: alive ? r.task.cres : '-',
            // Read from the job cluster's handle: none once it is gone (or was never launched).
            cluster_resources_full: p.has.fieldsAsRequested ? (alive && !noCluster ? r.task.cres : null) : alive ? r.task.cres : '-',
            schedule_state: jobSched,
            details: detailsOf(v, jobSched, p, new Set(r.job.tasks.map((t) => statusAt(t, now).status))),
            failure_reason: v.failureReason,
            metadata: {},
            priority: p.has.fieldsAsRequested ? null : 500,
        });
    }
    return rec;
}
