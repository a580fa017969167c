// `skyloop`: the command-line face of the same core the MCP server uses.
import { SkyError } from '../sky/sky-errors.js';
import { packageVersion } from '../util/package-root.js';
import { UsageError } from './cli-error.js';
import { analyzeLogsCommand, analyzeLogsHelp } from './commands/analyze-logs.js';
import { factorialCommand, factorialHelp } from './commands/factorial.js';
import { preflightCommand, preflightHelp } from './commands/preflight.js';
import { ralphCommand, ralphHelp } from './commands/ralph.js';
import { queueCommand, queueHelp } from './commands/queue.js';
// Errors whose message is the whole story; anything else is a bug and gets its stack trace.
const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR']);
const KNOWN_ERRORS = new Set(['ConfigError', 'LaunchRefused', 'ExperimentNotFoundError', 'RuleRefusal']);
const COMMANDS = {
    queue: { summary: 'list every managed job (normalised records; --json for scripts)', help: queueHelp, run: queueCommand },
    factorial: { summary: 'launch, watch, inspect and diagnose a factorial grid of jobs', help: factorialHelp, run: factorialCommand },
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
export async function main(argv, out = process.stdout) {
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
    if (!command)
        throw new UsageError(`unknown command '${name}'`);
    if (rest.includes('--help') || rest.includes('-h')) {
        out.write(command.help);
        return 0;
    }
    return command.run(rest, out);
}
try {
    process.exitCode = await main(process.argv.slice(2));
}
catch (e) {
    if (e instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`skyloop: ${e.message}\nRun 'skyloop --help' for usage.\n`);
        process.exitCode = 2;
    }
    else if (e instanceof SkyError || e instanceof TypeError || KNOWN_ERRORS.has(e.name) || FILE_ERRORS.has(e.code ?? '')) {
        process.stderr.write(`skyloop: ${e.message}\n`);
        process.exitCode = 1;
    }
    else {
        process.stderr.write(`skyloop: ${e.stack ?? String(e)}\n`);
        process.exitCode = 1;
    }
}
