// The SkyPilot adapter: the one place that runs the `sky` executable. Arguments go as an array (never
// through a shell), every call has a time limit and bounded output, and every failure becomes a SkyError
// that names the command.
import { execa, type Options as ExecaOptions, type Result } from 'execa';
import { boundedLines } from './bounded-lines.js';
import { parseCancelOutput, type CancelResult } from './cancel-output-parser.js';
import type { JobRecord } from './job-record.js';
import { isFailure, isKnownStatus, JOB_EXIT_CODES } from './job-status.js';
import { parseLaunchJobIds } from './launch-output-parser.js';
import { parseQueueJson } from './queue-json-parser.js';
import { parseQueueTable, QueueParseError, type ControllerState } from './queue-table-parser.js';
import { cleanLine } from './sky-output-text.js';
import { SkyError, tailLines, usefulErrorLine } from './sky-errors.js';
import { backoffMs, skyTimeouts, type SkyCallKind, type SkyTimeouts } from './sky-timeouts.js';

export interface SkyCliOptions {
  /** The `sky` executable; default `$SKYLOOP_SKY_BIN`, else `sky` on PATH. */
  bin?: string;
  /** Extra environment for every call (merged over the process environment). */
  env?: Record<string, string>;
  /** Time limit of the short calls (queue, cancel, check, gpus, version); see `timeouts` for one kind. */
  timeoutMs?: number;
  /**
   * Time limit per kind of call; default `SKYLOOP_SKY_TIMEOUT_<KIND>_MS`, else `SKYLOOP_SKY_TIMEOUT_MS`,
   * else sky-timeouts.ts (queue 60 s, logs 10 min, launch 10 min, cancel 60 s, check 120 s, gpus 120 s).
   */
  timeouts?: Partial<SkyTimeouts>;
  /** Retries of read-only calls after a failure or unreadable output (never a usage error); default 2. */
  retries?: number;
  /** Retry a read-only call that timed out, too (the supervisor: a hung API server may come back); default false. */
  retryTimeouts?: boolean;
  /** Delay before the first retry, doubled each time, with jitter; default `$SKYLOOP_SKY_RETRY_DELAY_MS` or 500 ms. */
  retryDelayMs?: number;
  /** Receives each warning once (e.g. a status this version of skyloop does not know). */
  onWarning?: (message: string) => void;
}

export interface LaunchOptions {
  /** Managed job name; must satisfy SkyPilot's name rule. */
  name: string;
  env?: Record<string, string>;
  /** Return right after submission (default). Following a job's logs is `logs()`'s job. */
  detach?: boolean;
  infra?: string;
  gpus?: string;
  useSpot?: boolean;
  /** e.g. `docker:ghcr.io/org/train@sha256:…` */
  imageId?: string;
  numNodes?: number;
  diskSize?: number;
  /**
   * Called synchronously right after `sky` is spawned. A caller that can crash records the pid here, so
   * that a re-run can wait for an orphaned launch to finish instead of launching the job twice.
   */
  onSpawn?: (pid: number | undefined) => void;
  /**
   * Set as SKYLOOP_LAUNCH_MARKER in the environment of the `sky` process (not of the job), so that a
   * re-run can find this launch among the machine's processes even if its pid was never written down.
   */
  marker?: string;
}

export interface QueueResult {
  records: JobRecord[];
  /** Which output SkyPilot gave: `-o json` where the installed version has it, else the table. */
  source: 'json' | 'table';
  /** `stopped` or `absent`: SkyPilot could not reach the jobs controller, so the records are empty, not "no jobs". */
  controller: ControllerState;
}

export interface LogsOptions {
  controller?: boolean;
  /** Keep only the last N lines in the result (the log is streamed, never held whole). Default 200. */
  tail?: number;
  /** Called with every line, ANSI and control payloads stripped. */
  onLine?: (line: string) => void;
  /** The caller found this id in a queue it has just read: skip the look-up (one queue call per poll). */
  inQueue?: boolean;
}

/** `unknown`: SkyPilot printed no final status and its exit code carries none (`--no-follow` from 0.10 on). */
export type LogsOutcome = 'succeeded' | 'failed' | 'cancelled' | 'not_finished' | 'unknown';

export interface LogsResult {
  job_id: number;
  outcome: LogsOutcome;
  exit_code: number;
  line_count: number;
  tail: string[];
}

// SkyPilot's CLUSTER_NAME_VALID_REGEX (sky/skylet/constants.py), which also governs managed job names.
export const JOB_NAME_RULE = /^[a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const ENV_KEY_RULE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OUTPUT_LIMIT_BYTES = 256 * 1024 * 1024;

const LOG_OUTCOMES: Record<number, LogsOutcome> = {
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

function outcomeOfStatus(status: string): LogsOutcome {
  if (status === 'SUCCEEDED') return 'succeeded';
  if (status === 'CANCELLED') return 'cancelled';
  if (isFailure(status)) return 'failed';
  return 'not_finished';
}

const envNumber = (name: string): number | undefined => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

export class SkyCli {
  readonly bin: string;
  private readonly env: Record<string, string>;
  readonly timeouts: SkyTimeouts;
  private readonly retries: number;
  private readonly retryTimeouts: boolean;
  private readonly retryDelayMs: number;
  private readonly onWarning: (message: string) => void;
  private readonly warned = new Set<string>();
  /** Whether `sky jobs queue -o json` exists in the installed SkyPilot; learned on first use. */
  private jsonQueue: boolean | undefined;
  private installedVersion: string | undefined;

  constructor(options: SkyCliOptions = {}) {
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
  async version(): Promise<string> {
    const { stdout } = await this.readOnly('version', ['--version']);
    const m = /version\s+(\S+)/i.exec(stdout);
    return m ? (m[1] as string) : stdout.trim();
  }

  /** Every managed job of the current user, one record per task. */
  async queue(): Promise<QueueResult> {
    if (this.jsonQueue !== false) {
      const args = ['jobs', 'queue', '-a', '-v', '-o', 'json'];
      try {
        const { parsed } = await this.readOnly('queue', args, (out) => parseQueueJson(out));
        this.jsonQueue = true;
        return { records: this.checked(parsed), controller: 'up', source: 'json' };
      } catch (e) {
        // With the controller stopped or gone, `-o json` passes the API server's ClusterNotUpError through (exit 1);
        // the table says which of the two it is.
        const controllerDown = e instanceof SkyError && e.details.exitCode === 1 && e.details.exceptionClass?.endsWith('ClusterNotUpError') === true;
        // Versions before `-o` existed answer with click's usage error (exit 2): fall back to the table.
        const noJson = e instanceof SkyError && e.details.exitCode === 2 && /no such option/i.test(e.message);
        if (!controllerDown && !noJson) throw e;
        if (noJson) this.jsonQueue = false;
      }
    }
    const { parsed } = await this.readOnly('queue', ['jobs', 'queue', '-a', '-v'], (out) => parseQueueTable(out, Date.now() / 1000));
    return { records: this.checked(parsed.records), controller: parsed.controller, source: 'table' };
  }

  /** Submit a managed job (detached) and return its id. Never retried: a blind retry could launch twice. */
  async launch(taskYaml: string, options: LaunchOptions): Promise<{ job_id: number; command: string }> {
    flagValue('task YAML path', taskYaml);
    if (!JOB_NAME_RULE.test(options.name)) {
      throw new TypeError(
        `invalid job name ${JSON.stringify(options.name)}: SkyPilot names must match ${JOB_NAME_RULE.source}`,
      );
    }
    const args = ['jobs', 'launch', '--yes', '--name', options.name];
    if (options.detach ?? true) args.push('--detach-run');
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (!ENV_KEY_RULE.test(key)) throw new TypeError(`invalid environment variable name ${JSON.stringify(key)}`);
      args.push('--env', `${key}=${value}`);
    }
    if (options.infra !== undefined) args.push('--infra', flagValue('infra', options.infra));
    if (options.gpus !== undefined) args.push('--gpus', flagValue('gpus', options.gpus));
    if (options.useSpot !== undefined) args.push(options.useSpot ? '--use-spot' : '--no-use-spot');
    if (options.imageId !== undefined) args.push('--image-id', flagValue('image id', options.imageId));
    if (options.numNodes !== undefined) args.push('--num-nodes', String(positiveInt('num nodes', options.numNodes)));
    if (options.diskSize !== undefined) args.push('--disk-size', String(positiveInt('disk size', options.diskSize)));
    args.push(taskYaml);

    const shown = args.map((a, i) => (args[i - 1] === '--env' ? a.replace(/=[\s\S]*$/, '=<redacted>') : a));
    const result = await this.run(args, this.timeouts.launch, options.onSpawn, options.marker, 'launch', shown);
    const ids = parseLaunchJobIds(stripAll(result.stdout));
    if (ids.length === 0) {
      throw new SkyError(
        'launch_no_id',
        `\`${result.command}\` printed no managed job id (expected "Managed Job ID: N"). Last lines:\n${tailLines(result.all, 8)}`,
        result.command,
        { exitCode: result.exitCode, outputTail: tailLines(result.all, 20) },
      );
    }
    return { job_id: ids[0] as number, command: result.command };
  }

  /**
   * Stream a job's log (or its controller log) once, with memory bounded by `tail`.
   * The job is looked up in the queue first: for an id SkyPilot does not know, `sky jobs logs --no-follow`
   * of 0.9/0.10 waits forever.
   */
  async logs(jobId: number, options: LogsOptions = {}): Promise<LogsResult> {
    positiveInt('job id', jobId);
    const queue = options.inQueue ? undefined : await this.queue();
    if (queue && !queue.records.some((r) => r.job_id === jobId)) {
      const why = queue.controller === 'up' ? '' : ` (the jobs controller is ${queue.controller === 'stopped' ? 'stopped' : 'not launched'})`;
      throw new SkyError('job_not_found', `SkyPilot has no managed job with id ${jobId} in \`sky jobs queue\`${why}`, 'sky jobs queue', {
        jobId,
      });
    }
    const args = ['jobs', 'logs', '--no-follow'];
    if (options.controller) args.push('--controller');
    args.push(String(jobId));
    const keep = options.tail ?? 200;
    const tail: string[] = [];
    let lineCount = 0;
    let finalStatus: string | undefined;
    let notFound = false;

    const subprocess = execa(this.bin, args, {
      ...this.execOptions(this.timeouts.logs),
      buffer: { stdout: false, stderr: true },
    });
    // Our own splitter, not execa's: a 500 MB line must not become a 500 MB string.
    for await (const raw of boundedLines(subprocess.stdout as AsyncIterable<Buffer>)) {
      const line = cleanLine(raw);
      lineCount++;
      const final = LOG_FINAL_STATUS.exec(line);
      if (final) finalStatus = final[1] ?? final[2];
      if (LOG_NOT_FOUND.test(line)) notFound = true;
      options.onLine?.(line);
      if (keep > 0) {
        tail.push(line);
        if (tail.length > keep) tail.shift();
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
    let outcome: LogsOutcome = finalStatus !== undefined ? outcomeOfStatus(finalStatus) : (LOG_OUTCOMES[exitCode] as LogsOutcome);
    if (finalStatus === undefined && exitCode === JOB_EXIT_CODES.SUCCEEDED && !(await this.exitCodeTellsOutcome())) {
      outcome = 'unknown';
    }
    return { job_id: jobId, outcome, exit_code: exitCode, line_count: lineCount, tail };
  }

  /** Whether `sky jobs logs --no-follow` returns the job's JobExitCode (0.9.x) rather than 0. */
  private async exitCodeTellsOutcome(): Promise<boolean> {
    this.installedVersion ??= await this.version().catch(() => '');
    return /^0\.9\./.test(this.installedVersion);
  }

  /** Cancel managed jobs by id. */
  async cancel(jobIds: number[]): Promise<CancelResult> {
    if (jobIds.length === 0) return { cancelled: [], already_terminal: [], not_found: [] };
    const args = ['jobs', 'cancel', '--yes', ...jobIds.map((id) => String(positiveInt('job id', id)))];
    const { stdout } = await this.readOnly('cancel', args, undefined, { retry: false });
    return parseCancelOutput(stripAll(stdout));
  }

  /** `sky check [cloud]`: the raw text (pre-flight checks interpret it). */
  async check(cloud?: string): Promise<string> {
    const args = ['check'];
    if (cloud !== undefined) args.push(flagValue('cloud', cloud));
    return stripAll((await this.readOnly('check', args)).stdout);
  }

  // ---------------------------------------------------------------------------------------------

  private checked(records: JobRecord[]): JobRecord[] {
    for (const r of records) {
      if (!isKnownStatus(r.status)) {
        this.warnOnce(
          `status:${r.status}`,
          `SkyPilot reported status ${r.status} (job ${r.job_id}), unknown to this version of skyloop; ` +
            'treating it as not finished',
        );
      }
    }
    return records;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.onWarning(message);
  }

  private parse<T>(command: string, parse: () => T): T {
    try {
      return parse();
    } catch (e) {
      if (e instanceof QueueParseError) {
        throw new SkyError('bad_output', `\`${command}\` printed output skyloop cannot read: ${e.message}`, command);
      }
      throw e;
    }
  }

  private execOptions(timeout: number) {
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
    } satisfies ExecaOptions;
  }

  /** `shownArgs`: the arguments as messages show them (launch masks --env values). */
  private async run(args: string[], timeout: number, onSpawn?: (pid: number | undefined) => void, marker?: string, kind: SkyCallKind = 'launch', shownArgs?: string[]) {
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
    if (result.exitCode !== 0) throw this.commandFailed(command, result.exitCode ?? -1, stderr, all);
    return { stdout, stderr, all, command, exitCode: result.exitCode };
  }

  /**
   * A read-only call, retried with backoff and jitter after a failure (a flaky or restarting API server), a
   * time-out (a hung one) or output that does not parse (a truncated answer), never after a usage error.
   */
  private async readOnly<T = undefined>(kind: SkyCallKind, args: string[], parse?: (stdout: string) => T, { retry = true } = {}) {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.run(args, this.timeouts[kind], undefined, undefined, kind);
        const parsed = (parse ? this.parse(result.command, () => parse(result.stdout)) : undefined) as T;
        return { ...result, parsed };
      } catch (e) {
        const retriable =
          e instanceof SkyError &&
          ((e.kind === 'timeout' && this.retryTimeouts) || e.kind === 'bad_output' || (e.kind === 'command_failed' && e.details.exitCode !== 2));
        if (!retry || !retriable || attempt >= this.retries) throw e;
        await new Promise((r) => setTimeout(r, backoffMs(this.retryDelayMs, attempt)));
      }
    }
  }

  private throwIfNotRun(result: Result, command: string, timeout: number, kind: SkyCallKind): void {
    if (result.timedOut) {
      throw new SkyError(
        'timeout',
        `\`${command}\` did not finish within ${Math.round(timeout / 1000)} s and was stopped ` +
          `(is the SkyPilot API server hung? raise SKYLOOP_SKY_TIMEOUT_${kind.toUpperCase()}_MS if it is just slow)`,
        command,
      );
    }
    if (result.isMaxBuffer) {
      throw new SkyError('bad_output', `\`${command}\` printed more than ${OUTPUT_LIMIT_BYTES} bytes`, command);
    }
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new SkyError(
        'not_installed',
        `cannot run \`${this.bin}\` (${code === 'ENOENT' ? 'not found' : 'not executable'}): install SkyPilot ` +
          "(pip install 'skypilot[aws]' or your cloud) or set SKYLOOP_SKY_BIN, e.g. SKYLOOP_SKY_BIN=./bin/sky-sim",
        command,
      );
    }
  }

  private commandFailed(command: string, exitCode: number, stderr: string, all: string): SkyError {
    const { line, exceptionClass } = usefulErrorLine(stderr.trim() === '' ? all : stripAll(stderr));
    return new SkyError('command_failed', `\`${command}\` failed with exit code ${exitCode}: ${line}`, command, {
      exitCode,
      exceptionClass,
      outputTail: tailLines(stripAll(all), 20),
    });
  }
}

const shellQuote = (a: string): string => (/^[\w@%+=:,./<>-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

function stripAll(text: string): string {
  return text.split('\n').map(cleanLine).join('\n');
}

/** Values that reach `sky` as flag values must not themselves look like flags. */
function flagValue(what: string, value: string): string {
  if (value.startsWith('-')) throw new TypeError(`${what} must not start with '-': ${JSON.stringify(value)}`);
  return value;
}

function positiveInt(what: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${what} must be a positive integer, got ${value}`);
  return value;
}
