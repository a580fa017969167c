// `sky`-compatible simulator entry point (bin/sky-sim). See templates/sim-scenario.example.yaml.
//
// Environment:
//   SKYLOOP_SIM_HOME       state directory (default ~/.skyloop/sky-sim)
//   SKYLOOP_SIM_SPEED      simulated seconds per real second (default 60; 0 freezes the clock)
//   SKYLOOP_SIM_SCENARIO   scenario YAML (default <home>/scenario.yaml if present)
//   SKYLOOP_SIM_EMULATE    the SkyPilot release to print like (or `--emulate X` before the subcommand): 0.9.3 |
//                          0.10.5 (alias 0.10.6) | 0.11.2 | 0.12.3.post1 | 0.13.0 | 0.14.1 = current (the default);
//                          what each release has is in versions.ts, proven by test/contract/
//   SKYLOOP_SIM_CONTROLLER up (default) | stopped | absent: the jobs controller's cluster
//   SKYLOOP_SIM_FAULT      hang | api-unreachable | garbage | truncated, optionally `:<command>`
//                          (the scenario's `faults:` schedules them in simulated time)
//   SKYLOOP_SIM_CALL_LOG   append each command's name (queue, logs, launch, ...) to this file
//   SKYLOOP_SIM_COLOR      auto (default: SkyPilot through a pipe - the CLI's own lines plain, lines relayed
//                          from the API server keep their codes; all coloured on a TTY) | always | never
//   SKYLOOP_SIM_CLOUDS     clouds `sky check` reports enabled (default aws,gcp,lambda,runpod)
import { configureColor } from './ansi.js';
import { ClickAbort, ClickUsageError, ExitWith, SimConfigError, SkyException } from './errors.js';
import { sleep, stderr, stdout } from './output.js';
import { syncSpeed } from './state.js';
import { EMULATE_NAMES, profileFor } from './versions.js';
// Commands are imported lazily: start-up time matters when callers poll `sky jobs queue`.
const check = async (a, p) => (await import('./commands/check.js')).check(a, p);
const gpusList = async (a, p, path) => (await import('./commands/gpus.js')).gpusList(a, p, path);
const jobsCancel = async (a, p) => (await import('./commands/cancel.js')).jobsCancel(a, p);
const jobsLaunch = async (a, p) => (await import('./commands/launch.js')).jobsLaunch(a, p);
const jobsLogs = async (a, p) => (await import('./commands/logs.js')).jobsLogs(a, p);
const jobsQueue = async (a, p) => (await import('./commands/queue.js')).jobsQueue(a, p);
const simAdmin = async (a) => (await import('./commands/sim.js')).simAdmin(a);
const API_SERVER = 'http://127.0.0.1:46580';
function groupUsage(path, message) {
    return new ClickUsageError(`Usage: ${path} [OPTIONS] COMMAND [ARGS]...`, path, message);
}
function resolveCommand(argv) {
    const [cmd, ...rest] = argv;
    if (cmd === undefined)
        throw groupUsage('sky', 'Missing command.');
    if (cmd === 'jobs' || cmd === 'spot') {
        const [sub, ...r] = rest;
        const table = { launch: jobsLaunch, queue: jobsQueue, logs: jobsLogs, cancel: jobsCancel };
        if (sub === undefined)
            throw groupUsage('sky jobs', 'Missing command.');
        const h = table[sub];
        if (!h)
            throw groupUsage('sky jobs', `No such command '${sub}'.`);
        return { key: sub, handler: h, rest: r };
    }
    if (cmd === 'check')
        return { key: 'check', handler: check, rest };
    if (cmd === 'show-gpus')
        return { key: 'gpus', handler: (a, p) => gpusList(a, p, 'sky show-gpus'), rest };
    if (cmd === 'gpus') {
        const [sub, ...r] = rest;
        if (sub !== 'list')
            throw groupUsage('sky gpus', sub === undefined ? 'Missing command.' : `No such command '${sub}'.`);
        return { key: 'gpus', handler: (a, p) => gpusList(a, p, 'sky gpus list'), rest: r };
    }
    if (cmd === 'sim')
        return { key: 'sim', handler: (a) => simAdmin(a), rest };
    throw groupUsage('sky', `No such command '${cmd}'.`);
}
function garbage() {
    const words = ['lorem', 'ipsum', '%%%', 'null', '0xdeadbeef', 'ERR?', 'status', 'ok', '{{', '}}', '####', 'timeout'];
    const lines = [];
    const n = 3 + Math.floor(Math.random() * 5);
    for (let i = 0; i < n; i++) {
        const k = 2 + Math.floor(Math.random() * 8);
        lines.push(Array.from({ length: k }, () => words[Math.floor(Math.random() * words.length)]).join(' '));
    }
    return `${lines.join('\n')}\n`;
}
async function run(argvIn) {
    let argv = argvIn;
    let emulate = process.env.SKYLOOP_SIM_EMULATE;
    // Global options before the subcommand.
    while (argv[0]?.startsWith('-')) {
        const a = argv[0];
        if (a === '--emulate') {
            emulate = argv[1];
            argv = argv.slice(2);
        }
        else if (a.startsWith('--emulate=')) {
            emulate = a.slice('--emulate='.length);
            argv = argv.slice(1);
        }
        else
            break;
    }
    const profile = profileFor(emulate);
    if (!profile)
        throw new SimConfigError(`unknown emulated version '${emulate}' (use ${EMULATE_NAMES.join(', ')})`);
    const first = argv[0];
    if (first === '--version' || first === '-v') {
        await stdout.line(`skypilot, version ${profile.version}`);
        return 0;
    }
    if (first === '--commit' || first === '-c') {
        await stdout.line('skypilot, commit 059757fbfdd734333c39a35364108d5ded31a5e6');
        return 0;
    }
    if (first === '--help' || first === '-h' || first === undefined) {
        await stdout.line(`Usage: sky [OPTIONS] COMMAND [ARGS]...\n\n  SkyPilot simulator (skyloop sky-sim).\n\nOptions:\n  --emulate VERSION  Print like this SkyPilot release: ${EMULATE_NAMES.join(' | ')} (default: current = ${profileFor('current').version}).\n\nCommands:\n  check      Check which clouds are available to use.\n  gpus       SkyPilot GPU/Accelerator CLI.\n  jobs       Managed Jobs CLI (jobs with auto-recovery).\n  show-gpus  Show supported GPU/TPU/accelerators and their prices.\n  sim        Simulator controls: advance <seconds> | reset | now (the clock); rules (jobs per scenario rule, warns about rules that matched none); registry [--port N] (an OCI registry on 127.0.0.1); push <127.0.0.1:port/repo:tag> [--label K=V] (push an image to it)`);
        return 0;
    }
    if (first?.startsWith('-')) {
        throw new ClickUsageError('Usage: sky [OPTIONS] COMMAND [ARGS]...', 'sky', `No such option: ${first}`);
    }
    const { key, handler, rest } = resolveCommand(argv);
    // One line per call, for benchmarks that count what a client asks SkyPilot.
    if (process.env.SKYLOOP_SIM_CALL_LOG)
        (await import('node:fs')).appendFileSync(process.env.SKYLOOP_SIM_CALL_LOG, `${key}\n`);
    await syncSpeed();
    const scheduled = key === 'sim' ? undefined : await (await import('./fault-schedule.js')).scheduledFault(key, rest);
    const fault = scheduled ?? process.env.SKYLOOP_SIM_FAULT;
    if (fault && key !== 'sim') {
        const [mode, only] = fault.split(':');
        if (only === undefined || only === key) {
            if (mode === 'hang') {
                for (;;)
                    await sleep(60_000);
            }
            if (mode === 'api-unreachable') {
                throw new SkyException('ApiServerConnectionError', `Could not connect to SkyPilot API server at ${API_SERVER}. Please ensure that the server is running. Try: curl ${API_SERVER}/api/health`);
            }
            if (mode === 'garbage') {
                await stdout.raw(garbage());
                return 0;
            }
            if (mode === 'truncated') {
                stdout.capture();
                await handler(rest, profile);
                await stdout.flush();
                const text = stdout.takeCaptured();
                // Cut inside a line, past the first line when there is one.
                const firstNl = text.indexOf('\n');
                let cut = Math.floor(text.length * 0.6);
                if (firstNl >= 0 && cut <= firstNl)
                    cut = Math.min(text.length - 1, firstNl + 1 + Math.floor((text.length - firstNl) / 2));
                while (cut > 0 && (text[cut] === '\n' || text[cut - 1] === '\n'))
                    cut--;
                await stdout.raw(text.slice(0, Math.max(cut, 1)));
                return 0;
            }
            if (mode !== undefined && mode !== '')
                throw new SimConfigError(`unknown SKYLOOP_SIM_FAULT mode '${mode}'`);
        }
    }
    // Simulated training code logs its tracking run when a job ends: written before anyone is shown the end.
    if (key === 'queue' || key === 'logs')
        await (await import('./tracking.js')).syncTracking();
    return handler(rest, profile);
}
async function finish(code) {
    try {
        await stdout.flush();
        await stderr.flush();
        await new Promise((r) => process.stdout.write('', () => r()));
        await new Promise((r) => process.stderr.write('', () => r()));
    }
    catch {
        // stdout closed early (e.g. piped into `head`): nothing more to deliver.
    }
    process.exit(code);
}
async function main() {
    configureColor(process.env.SKYLOOP_SIM_COLOR, process.stdout.isTTY === true);
    process.stdout.on('error', () => process.exit(0));
    let code;
    try {
        code = await run(process.argv.slice(2));
    }
    catch (e) {
        await stdout.flush().catch(() => undefined);
        if (e instanceof ClickUsageError) {
            await stderr.line(`${e.usage}\nTry '${e.commandPath} -h' for help.\n\nError: ${e.message}`);
            code = 2;
        }
        else if (e instanceof SkyException) {
            const cls = /^[A-Z]\w*Error$/.test(e.className) && !['ValueError', 'RuntimeError', 'TypeError', 'KeyError'].includes(e.className)
                ? `sky.exceptions.${e.className}`
                : e.className;
            await stderr.line(`${cls}: ${e.message}`);
            code = 1;
        }
        else if (e instanceof ClickAbort) {
            await stderr.line('Aborted!');
            code = 1;
        }
        else if (e instanceof ExitWith) {
            code = e.code;
        }
        else if (e instanceof SimConfigError) {
            await stderr.line(`sky-sim: ${e.message}`);
            code = 1;
        }
        else {
            await stderr.line(`sky-sim: internal error: ${e?.stack ?? String(e)}`);
            code = 1;
        }
    }
    await finish(code);
}
void main();
