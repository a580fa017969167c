// `sky jobs cancel` (sky/client/cli/command.py jobs_cancel + sky/jobs/utils.py cancel_jobs_by_id).
import { isTerminal } from '../../sky/job-status.js';
import { FORE, RESET } from '../ansi.js';
import { parseCommand } from '../args.js';
import { CONTROLLER_NOT_UP, controllerState } from '../controller.js';
import { ClickUsageError, SkyException } from '../errors.js';
import { currentUser } from '../identity.js';
import { stdout } from '../output.js';
import { confirm } from '../prompt.js';
import { simNow, updateState } from '../state.js';
import { cancelJob, jobStatus } from '../timeline.js';
function spec(p) {
    const options = [
        { names: ['--name', '-n'], dest: 'name', kind: 'string' },
        { names: ['--all', '-a'], dest: 'all', kind: 'flag' },
        { names: ['--yes', '-y'], dest: 'yes', kind: 'flag' },
        { names: ['--all-users', '-u'], dest: 'allUsers', kind: 'flag' },
    ];
    if (p.has.cancelPool)
        options.push({ names: ['--pool', '-p'], dest: 'pool', kind: 'string' });
    if (p.has.cancelGraceful) {
        options.push({ names: ['--graceful'], dest: 'graceful', kind: 'flag' }, { names: ['--graceful-timeout'], dest: 'gracefulTimeout', kind: 'int' }, { names: ['--config'], dest: 'config', kind: 'multi' });
    }
    return { path: 'sky jobs cancel', options, args: [{ name: 'JOB_IDS', kind: 'int', nargs: -1, required: false }] };
}
export async function jobsCancel(argv, p) {
    const cs = spec(p);
    const { opts, args } = parseCommand(cs, argv);
    const jobIds = args.JOB_IDS ?? [];
    const name = opts.name;
    const pool = opts.pool;
    const all = opts.all === true;
    const allUsers = opts.allUsers === true;
    const idStr = jobIds.join(',');
    const selectors = [jobIds.length > 0, name !== undefined, pool !== undefined, all || allUsers].filter(Boolean).length;
    if (selectors !== 1) {
        const parts = [];
        if (jobIds.length)
            parts.push(`--job-ids ${idStr}`);
        if (name !== undefined)
            parts.push(`--name ${name}`);
        if (pool !== undefined)
            parts.push(`--pool ${pool}`);
        if (all)
            parts.push('--all');
        if (allUsers)
            parts.push('--all-users');
        const what = p.has.cancelPool ? 'JOB_IDS, --name, --pool, or --all/--all-users' : 'JOB_IDS, --name, or --all/--all-users';
        throw new ClickUsageError(`Usage: ${cs.path} [OPTIONS] [JOB_IDS]...`, cs.path, `Can only specify one of ${what}. Provided '${parts.join(' ')}'.`);
    }
    if (opts.yes !== true) {
        const plural = jobIds.length > 1 ? 's' : '';
        let identity = jobIds.length
            ? `managed job${plural} with ID${plural} ${idStr}`
            : name !== undefined
                ? `'${name}'`
                : `managed jobs in pool '${pool}'`;
        if (allUsers)
            identity = 'all managed jobs FOR ALL USERS';
        else if (all)
            identity = 'all managed jobs';
        await confirm(`Cancelling ${identity}. Proceed?`, true);
    }
    // The API server's ClusterNotUpError: nothing to cancel without a controller.
    if (controllerState() !== 'up')
        throw new SkyException('ClusterNotUpError', CONTROLLER_NOT_UP);
    const me = currentUser();
    const lines = await updateState((state) => {
        const now = simNow(state);
        const out = [];
        const nonterminal = (j) => !isTerminal(jobStatus(j, now).status);
        if (pool !== undefined)
            return [`No running job found in pool '${pool}'.`];
        let ids;
        let prefix = '';
        if (name !== undefined) {
            ids = state.jobs.filter((j) => j.name === name && nonterminal(j)).map((j) => j.id);
            if (ids.length === 0)
                return [`No running job found with name '${name}'.`];
            if (ids.length > 1)
                return [`${FORE.red}Multiple running jobs found with name '${name}'.\nJob IDs: [${ids.join(', ')}]${RESET}`];
            prefix = p.has.cancelNamedIds ? `'${name}' ` : '';
        }
        else if (all || allUsers) {
            ids = state.jobs.filter((j) => (allUsers || j.uh === me.hash) && nonterminal(j)).map((j) => j.id);
        }
        else
            ids = jobIds;
        ids = [...new Set(ids)].sort((a, b) => a - b);
        if (ids.length === 0)
            return ['No job to cancel.'];
        // 0.9.3's controller code logs the ids it goes through (sky/jobs/utils.py cancel_jobs_by_id).
        if (!p.has.cancelWithoutIdList)
            out.push(`Cancelling jobs ${ids.join(', ')}.`);
        const cancelled = [];
        for (const id of ids) {
            const job = state.jobs.find((j) => j.id === id);
            if (!job) {
                out.push(`Job ${id} not found. Skipped.`);
                continue;
            }
            const s = jobStatus(job, now).status;
            if (isTerminal(s)) {
                out.push(`Job ${id} is already in terminal state ${s}. Skipped.`);
                continue;
            }
            if (s !== 'CANCELLING')
                cancelJob(job, now, { signalOnly: !p.has.cancelPendingDirectly });
            cancelled.push(id);
        }
        if (cancelled.length === 0)
            out.push('No job to cancel.');
        else if (name !== undefined && !p.has.cancelNamedIds)
            out.push(`Job '${name}' is scheduled to be cancelled.`);
        else if (cancelled.length === 1)
            out.push(`${prefix}Job with ID ${cancelled[0]} is scheduled to be cancelled.`);
        else
            out.push(`${prefix}Jobs with IDs ${cancelled.join(', ')} are scheduled to be cancelled.`);
        return out;
    });
    for (const l of lines)
        await stdout.line(l);
    return 0;
}
