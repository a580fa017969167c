// The SkyPilot adapter: the one place that runs the `sky` executable. Arguments go as an array (never
// through a shell), every call has a time limit and bounded output, and every failure becomes a SkyError
// that names the command.
import { execa } from 'execa';
import { boundedLines } from './bounded-lines.js';
import { parseCancelOutput } from './cancel-output-parser.js';
import { isFailure, isKnownStatus, JOB_EXIT_CODES } from './job-status.js';
import { parseLaunchJobIds } from './launch-output-parser.js';
import { parseQueueJson } from './queue-json-parser.js';
import { parseQueueTable, QueueParseError } from './queue-table-parser.js';
import { cleanLine } from './sky-output-text.js';
import { SkyError, tailLines, usefulErrorLine } from './sky-errors.js';
import { backoffMs, skyTimeouts } from './sky-timeouts.js';
// SkyPilot's CLUSTER_NAME_VALID_REGEX (sky/skylet/constants.py), which also governs managed job names.
export const JOB_NAME_RULE = /^[a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const ENV_KEY_RULE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OUTPUT_LIMIT_BYTES = 256 * 1024 * 1024;
const LOG_OUTCOMES = {
    [JOB_EXIT_CODES.SUCCEEDED]: 'succeeded',
    [JOB_EXIT_CODES.FAILED]: 'failed',
    [JOB_EXIT_CODES.NOT_FINISHED]: 'not_finished',
    [JOB_EXIT_CODES.CANCELLED]: 'cancelled',
};
// How SkyPilot reports a finished job's status in its log output (sky/jobs/utils.py stream_logs_by_id):
// `✓ Job finished (status: S).`, `✓ Managed job finished: N (status: S).`, `… already in terminal state S.`
const LOG_FINAL_STATUS = /(?:Job finished|Managed job finished: \d+) \(status: (\w+)\)|already in terminal state (\w+)\./;
// Newer releases answer an unknown id with this line on stdout and exit 0.
const LOG_NOT_FOUND = /^Job \d+ not found\.$/;
function outcomeOfStatus(status) {
    if (status === 'SUCCEEDED')
        return 'succeeded';
    if (status === 'CANCELLED')
        return 'cancelled';
    if (isFailure(status))
        return 'failed';
    return 'not_finished';
}
const envNumber = (name) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : undefined;
};
export class SkyCli {
    bin;
    env;
    timeouts;
    retries;
    retryTimeouts;
    retryDelayMs;
    onWarning;
    warned = new Set();
    /** Whether `sky jobs queue -o json` exists in the installed SkyPilot; learned on first use. */
    jsonQueue;
    installedVersion;
    constructor(options = {}) {
        this.bin = options.bin ?? process.env.SKYLOOP_SKY_BIN ?? 'sky';
        this.env = options.env ?? {};
        const short = options.timeoutMs;
        const shortKinds = short === undefined ? {} : { queue: short, cancel: short, check: short, gpus: short, version: short };
        this.timeouts = skyTimeouts(process.env, { ...shortKinds, ...options.timeouts });
        this.retries = options.retries ?? 2;
        this.retryTimeouts = options.retryTimeouts ?? false;
        this.retryDelayMs = options.retryDelayMs ?? envNumber('SKYLOOP_SKY_RETRY_DELAY_MS') ?? 500;
        this.onWarning = options.onWarning ?? ((m) => process.stderr.write(`skyloop: warning: ${m}\n`));
    }
    /** `sky --version` → e.g. `0.10.5`. */
    async version() {
        const { stdout } = await this.readOnly('version', ['--version']);
        const m = /version\s+(\S+)/i.exec(stdout);
        return m ? m[1] : stdout.trim();
    }
    /** Every managed job of the current user, one record per task. */
    async queue() {
        if (this.jsonQueue !== false) {
            const args = ['jobs', 'queue', '-a', '-v', '-o', 'json'];
            try {
                const { parsed } = await this.readOnly('queue', args, (out) => parseQueueJson(out));
                this.jsonQueue = true;
                return { records: this.checked(parsed), controller: 'up', source: 'json' };
            }
            catch (e) {
                // With the controller stopped or gone, `-o json` passes the API server's ClusterNotUpError through (exit 1);
                // the table says which of the two it is.
                const controllerDown = e instanceof SkyError && e.details.exitCode === 1 && e.details.exceptionClass?.endsWith('ClusterNotUpError') === true;
                // Versions before `-o` existed answer with click's usage error (exit 2): fall back to the table.
                const noJson = e instanceof SkyError && e.details.exitCode === 2 && /no such option/i.test(e.message);
                if (!controllerDown && !noJson)
                    throw e;
                if (noJson)
                    this.jsonQueue = false;
            }
        }
        const { parsed } = await this.readOnly('queue', ['jobs', 'queue', '-a', '-v'], (out) => parseQueueTable(out, Date.now() / 1000));
        return { records: this.checked(parsed.records), controller: parsed.controller, source: 'table' };
    }
    /** Submit a managed job (detached) and return its id. Never retried: a blind retry could launch twice. */
    async launch(taskYaml, options) {
        flagValue('task YAML path', taskYaml);
        if (!JOB_NAME_RULE.test(options.name)) {
            throw new TypeError(`invalid job name ${JSON.stringify(options.name)}: SkyPilot names must match ${JOB_NAME_RULE.source}`);
        }
        const args = ['jobs', 'launch', '--yes', '--name', options.name];
        if (options.detach ?? true)
            args.push('--detach-run');
        for (const [key, value] of Object.entries(options.env ?? {})) {
            if (!ENV_KEY_RULE.test(key))
                throw new TypeError(`invalid environment variable name ${JSON.stringify(key)}`);
            args.push('--env', `${key}=${value}`);
        }
        if (options.infra !== undefined)
            args.push('--infra', flagValue('infra', options.infra));
        if (options.gpus !== undefined)
            args.push('--gpus', flagValue('gpus', options.gpus));
        if (options.useSpot !== undefined)
            args.push(options.useSpot ? '--use-spot' : '--no-use-spot');
        if (options.imageId !== undefined)
            args.push('--image-id', flagValue('image id', options.imageId));
        if (options.numNodes !== undefined)
            args.push('--num-nodes', String(positiveInt('num nodes', options.numNodes)));
        if (options.diskSize !== undefined)
            args.push('--disk-size', String(positiveInt('disk size', options.diskSize)));
        args.push(taskYaml);
        const shown = args.map((a, i) => (args[i - 1] === '--env' ? a.replace(/=[\s\S]*$/, '=<redacted>') : a));
        const result = await this.run(args, this.timeouts.launch, options.onSpawn, options.marker, 'launch', shown);
        const ids = parseLaunchJobIds(stripAll(result.stdout));
        if (ids.length === 0) {
            throw new SkyError('launch_no_id', `\`${result.command}\` printed no managed job id (expected "Managed Job ID: N"). Last lines:\n${tailLines(result.all, 8)}`, result.command, { exitCode: result.exitCode, outputTail: tailLines(result.all, 20) });
        }
        return { job_id: ids[0], command: result.command };
    }
    /**
     * Stream a job's log (or its controller log) once, with memory bounded by `tail`.
     * The job is looked up in the queue first: for an id SkyPilot does not know, `sky jobs logs --no-follow`
     * of 0.9/0.10 waits forever.
     */
    async logs(jobId, options = {}) {
        positiveInt('job id', jobId);
        const queue = options.inQueue ? undefined : await this.queue();
        if (queue && !queue.records.some((r) => r.job_id === jobId)) {
            const why = queue.controller === 'up' ? '' : ` (the jobs controller is ${queue.controller === 'stopped' ? 'stopped' : 'not launched'})`;
            throw new SkyError('job_not_found', `SkyPilot has no managed job with id ${jobId} in \`sky jobs queue\`${why}`, 'sky jobs queue', {
                jobId,
            });
        }
        const args = ['jobs', 'logs', '--no-follow'];
        if (options.controller)
            args.push('--controller');
        args.push(String(jobId));
        const keep = options.tail ?? 200;
        const tail = [];
        let lineCount = 0;
        let finalStatus;
        let notFound = false;
        const subprocess = execa(this.bin, args, {
            ...this.execOptions(this.timeouts.logs),
            buffer: { stdout: false, stderr: true },
        });
        // Our own splitter, not execa's: a 500 MB line must not become a 500 MB string.
        for await (const raw of boundedLines(subprocess.stdout)) {
            const line = cleanLine(raw);
            lineCount++;
            const final = LOG_FINAL_STATUS.exec(line);
            if (final)
                finalStatus = final[1] ?? final[2];
            if (LOG_NOT_FOUND.test(line))
                notFound = true;
            options.onLine?.(line);
            if (keep > 0) {
                tail.push(line);
                if (tail.length > keep)
                    tail.shift();
            }
        }
        const result = await subprocess;
        const command = result.escapedCommand;
        this.throwIfNotRun(result, command, this.timeouts.logs, 'logs');
        const exitCode = result.exitCode ?? -1;
        if (exitCode === JOB_EXIT_CODES.NOT_FOUND || notFound) {
            throw new SkyError('job_not_found', `SkyPilot has no managed job with id ${jobId} (\`${command}\`)`, command, {
                exitCode,
                jobId,
            });
        }
        if (LOG_OUTCOMES[exitCode] === undefined) {
            throw this.commandFailed(command, exitCode, String(result.stderr ?? ''), tail.join('\n'));
        }
        // From 0.10 on, `--no-follow` exits 0 whatever the job's status: only the status SkyPilot printed
        // (or a non-zero JobExitCode, which 0.9 returns) says how the job ended.
        let outcome = finalStatus !== undefined ? outcomeOfStatus(finalStatus) : LOG_OUTCOMES[exitCode];
        if (finalStatus === undefined && exitCode === JOB_EXIT_CODES.SUCCEEDED && !(await this.exitCodeTellsOutcome())) {
            outcome = 'unknown';
        }
        return { job_id: jobId, outcome, exit_code: exitCode, line_count: lineCount, tail };
    }
    /** Whether `sky jobs logs --no-follow` returns the job's JobExitCode (0.9.x) rather than 0. */
    async exitCodeTellsOutcome() {
        this.installedVersion ??= await this.version().catch(() => '');
        return /^0\.9\./.test(this.installedVersion);
    }
    /** Cancel managed jobs by id. */
    async cancel(jobIds) {
        if (jobIds.length === 0)
            return { cancelled: [], already_terminal: [], not_found: [] };
        const args = ['jobs', 'cancel', '--yes', ...jobIds.map((id) => String(positiveInt('job id', id)))];
        const { stdout } = await this.readOnly('cancel', args, undefined, { retry: false });
        return parseCancelOutput(stripAll(stdout));
    }
    /** `sky check [cloud]`: the raw text (pre-flight checks interpret it). */
    async check(cloud) {
        const args = ['check'];
        if (cloud !== undefined)
            args.push(flagValue('cloud', cloud));
        return stripAll((await this.readOnly('check', args)).stdout);
    }
    // ---------------------------------------------------------------------------------------------
    checked(records) {
        for (const r of records) {
            if (!isKnownStatus(r.status)) {
                this.warnOnce(`status:${r.status}`, `SkyPilot reported status ${r.status} (job ${r.job_id}), unknown to this version of skyloop; ` +
                    'treating it as not finished');
            }
        }
        return records;
    }
    warnOnce(key, message) {
        if (this.warned.has(key))
            return;
        this.warned.add(key);
        this.onWarning(message);
    }
    parse(command, parse) {
        try {
            return parse();
        }
        catch (e) {
            if (e instanceof QueueParseError) {
                throw new SkyError('bad_output', `\`${command}\` printed output skyloop cannot read: ${e.message}`, command);
            }
            throw e;
        }
    }
    execOptions(timeout) {
        return {
            env: this.env,
            extendEnv: true,
            stdin: 'ignore',
            timeout,
            // A hung `sky` gets SIGTERM at the limit, then SIGKILL shortly after.
            forceKillAfterDelay: 2_000,
            reject: false,
            stripFinalNewline: false,
            maxBuffer: OUTPUT_LIMIT_BYTES,
        };
    }
    /** `shownArgs`: the arguments as messages show them (launch masks --env values). */
    async run(args, timeout, onSpawn, marker, kind = 'launch', shownArgs) {
        const options = this.execOptions(timeout);
        const env = marker === undefined ? options.env : { ...options.env, SKYLOOP_LAUNCH_MARKER: marker };
        const subprocess = execa(this.bin, args, { ...options, env, all: true });
        onSpawn?.(subprocess.pid);
        const result = await subprocess;
        const command = shownArgs === undefined ? result.escapedCommand : [this.bin, ...shownArgs].map(shellQuote).join(' ');
        this.throwIfNotRun(result, command, timeout, kind);
        const stdout = String(result.stdout ?? '');
        const stderr = String(result.stderr ?? '');
        const all = String(result.all ?? '');
        if (result.exitCode !== 0)
            throw this.commandFailed(command, result.exitCode ?? -1, stderr, all);
        return { stdout, stderr, all, command, exitCode: result.exitCode };
    }
    /**
     * A read-only call, retried with backoff and jitter after a failure (a flaky or restarting API server), a
     * time-out (a hung one) or output that does not parse (a truncated answer), never after a usage error.
     */
    async readOnly(kind, args, parse, { retry = true } = {}) {
        for (let attempt = 0;; attempt++) {
            try {
                const result = await this.run(args, this.timeouts[kind], undefined, undefined, kind);
                const parsed = (parse ? this.parse(result.command, () => parse(result.stdout)) : undefined);
                return { ...result, parsed };
            }
            catch (e) {
                const retriable = e instanceof SkyError &&
                    ((e.kind === 'timeout' && this.retryTimeouts) || e.kind === 'bad_output' || (e.kind === 'command_failed' && e.details.exitCode !== 2));
                if (!retry || !retriable || attempt >= this.retries)
                    throw e;
                await new Promise((r) => setTimeout(r, backoffMs(this.retryDelayMs, attempt)));
            }
        }
    }
    throwIfNotRun(result, command, timeout, kind) {
        if (result.timedOut) {
            throw new SkyError('timeout', `\`${command}\` did not finish within ${Math.round(timeout / 1000)} s and was stopped ` +
                `(is the SkyPilot API server hung? raise SKYLOOP_SKY_TIMEOUT_${kind.toUpperCase()}_MS if it is just slow)`, command);
        }
        if (result.isMaxBuffer) {
            throw new SkyError('bad_output', `\`${command}\` printed more than ${OUTPUT_LIMIT_BYTES} bytes`, command);
        }
        const code = result.cause?.code;
        if (code === 'ENOENT' || code === 'EACCES') {
            throw new SkyError('not_installed', `cannot run \`${this.bin}\` (${code === 'ENOENT' ? 'not found' : 'not executable'}): install SkyPilot ` +
                "(pip install 'skypilot[aws]' or your cloud) or set SKYLOOP_SKY_BIN, e.g. SKYLOOP_SKY_BIN=./bin/sky-sim", command);
        }
    }
    commandFailed(command, exitCode, stderr, all) {
        const { line, exceptionClass } = usefulErrorLine(stderr.trim() === '' ? all : stripAll(stderr));
        return new SkyError('command_failed', `\`${command}\` failed with exit code ${exitCode}: ${line}`, command, {
            exitCode,
            exceptionClass,
            outputTail: tailLines(stripAll(all), 20),
        });
    }
}
const shellQuote = (a) => (/^[\w@%+=:,./<>-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
function stripAll(text) {
    return text.split('\n').map(cleanLine).join('\n');
}
/** Values that reach `sky` as flag values must not themselves look like flags. */
function flagValue(what, value) {
    if (value.startsWith('-'))
        throw new TypeError(`${what} must not start with '-': ${JSON.stringify(value)}`);
    return value;
}
function positiveInt(what, value) {
    if (!Number.isInteger(value) || value <= 0)
        throw new TypeError(`${what} must be a positive integer, got ${value}`);
    return value;
}
