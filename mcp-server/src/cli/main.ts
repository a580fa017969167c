// `skyloop`: the command-line face of the same core the MCP server uses.
import type { RuleRefusal } from '../rules/rule-refusal.js';
import { redact, redactingWriter } from '../redaction/redact.js';
import { SkyError } from '../sky/sky-errors.js';
import { packageVersion } from '../util/package-root.js';
import { CLI_JSON_SCHEMA_VERSION, UsageError } from './cli-error.js';
import { analyzeLogsCommand, analyzeLogsHelp } from './commands/analyze-logs.js';
import { experimentsCommand, experimentsHelp } from './commands/experiments.js';
import { factorialCommand, factorialHelp } from './commands/factorial.js';
import { preflightCommand, preflightHelp } from './commands/preflight.js';
import { ralphCommand, ralphHelp } from './commands/ralph.js';
import { queueCommand, queueHelp } from './commands/queue.js';

// Errors whose message is the whole story; anything else is a bug and gets its stack trace.
const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOSPC']);
const KNOWN_ERRORS = new Set(['ConfigError', 'LaunchRefused', 'ExperimentNotFoundError', 'RuleRefusal', 'CliError', 'SupervisorRunning', 'CancelRefused', 'ManifestUnreadableError', 'StoreWriteError', 'InvalidExperimentIdError']);


type Command = { summary: string; help: string; run: (argv: string[], out: NodeJS.WritableStream) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  queue: { summary: 'list every managed job (normalised records; --json for scripts)', help: queueHelp, run: queueCommand },
  factorial: { summary: 'launch, watch, inspect and diagnose a factorial grid of jobs', help: factorialHelp, run: factorialCommand },
  experiments: { summary: 'every experiment launched here: where it lives, its progress, its supervisor', help: experimentsHelp, run: experimentsCommand },
  preflight: { summary: 'check credentials, GPUs, tracking server, image, data, env and disk before a launch', help: preflightHelp, run: preflightCommand },
  ralph: { summary: 'run one job to success: launch, diagnose, safe automatic fixes, retries, budget', help: ralphHelp, run: ralphCommand },
  'analyze-logs': { summary: 'the root cause of a failed job, from its log or a file', help: analyzeLogsHelp, run: analyzeLogsCommand },
};

const mainHelp = () => `Usage: skyloop <command> [options]

Launch, watch, diagnose and relaunch SkyPilot managed jobs.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`)
  .join('\n')}

Options:
  -h, --help     show help (also: skyloop <command> --help)
  -V, --version  print the skyloop version

Environment:
  SKYLOOP_SKY_BIN         the sky executable (default: sky on PATH; ./bin/sky-sim for the embedded simulator)
  SKYLOOP_SKY_TIMEOUT_MS  time limit of one read-only sky call (default 60000)
`;

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    out.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '-V' || name === '--version') {
    out.write(`skyloop ${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}'`);
  if (rest.includes('--help') || rest.includes('-h')) {
    out.write(command.help);
    return 0;
  }
  try {
    return await command.run(rest, out);
  } catch (e) {
    // A usage mistake inside a command points at that command's help.
    if (isUsageError(e)) throw Object.assign(e instanceof UsageError ? e : new UsageError((e as Error).message), { command: name });
    throw e;
  }
}

const isUsageError = (e: unknown): boolean => e instanceof UsageError || Boolean((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
const isKnownError = (e: unknown): boolean =>
  e instanceof SkyError || e instanceof TypeError || KNOWN_ERRORS.has((e as Error).name) || FILE_ERRORS.has((e as NodeJS.ErrnoException).code ?? '');

/** What `--json` prints on stdout when the command did not produce its result: the rule, the reason, the next step. */
function jsonError(e: Error, kind: 'usage' | 'refusal' | 'error'): object {
  const refusal = e as Partial<RuleRefusal>;
  const body =
    kind === 'refusal' && typeof refusal.toJSON === 'function'
      ? refusal.toJSON()
      : {
          rule: null,
          reason: e.message,
          next: kind === 'usage' ? { cli: `skyloop ${(e as UsageError).command ? `${(e as UsageError).command} ` : ''}--help` } : null,
        };
  return { schema_version: CLI_JSON_SCHEMA_VERSION, error: { kind, ...body } };
}

// Every byte the CLI prints passes the redaction choke point, text and --json alike.
const stdout = redactingWriter(process.stdout);
const stderrWrite = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  stderrWrite(typeof chunk === 'string' ? redact(chunk) : redact(Buffer.from(chunk).toString('utf8')), ...rest)) as typeof process.stderr.write;
const argv = process.argv.slice(2);
try {
  process.exitCode = await main(argv, stdout);
} catch (e) {
  const error = e as Error;
  const usage = isUsageError(e);
  const known = usage || isKnownError(e);
  if (argv.includes('--json')) {
    stdout.write(JSON.stringify(jsonError(error, usage ? 'usage' : error.name === 'RuleRefusal' ? 'refusal' : 'error'), null, 2) + '\n');
  }
  if (usage) {
    const command = (e as UsageError).command;
    process.stderr.write(`skyloop: ${error.message}\nRun 'skyloop ${command ? `${command} ` : ''}--help' for usage.\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`skyloop: ${known ? error.message : (error.stack ?? String(e))}\n`);
    process.exitCode = 1;
  }
}
stdout.flush();
