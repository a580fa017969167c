import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeJob } from '../../diagnosis/analyze-job.js';
import { analyzeStream } from '../../diagnosis/analyze-log.js';
import { defaultLibrary } from '../../diagnosis/default-library.js';
import { jobState, notFinishedAnalysis } from '../../diagnosis/not-finished.js';
import { renderAnalysis } from '../../diagnosis/render-analysis.js';
import { SkyCli } from '../../sky/sky-cli.js';
import { isTerminal, TERMINAL_STATUSES } from '../../sky/job-status.js';
import { CliError, cliJson, UsageError } from '../cli-error.js';
export const analyzeLogsHelp = `Usage: skyloop analyze-logs <file | -> [--status S] [--failure-reason TEXT] [--json]
       skyloop analyze-logs --job ID [--json]

The root cause of a failed job, from its log: category, confidence (and why), the evidence lines with
context, the exception type, the exit code, the fix strategy, and the fingerprint that defines "identical
error". The log is streamed once with bounded memory; secrets are redacted from every excerpt.
  --job ID     read the managed job's log through sky (its controller log when the job never ran or
               SkyPilot's failure_reason points there), the queue's failure_reason as evidence
  --status S   the SkyPilot status the job ended in (sharpens confidence for a file): one of
               ${[...TERMINAL_STATUSES].join(', ')}
  --failure-reason TEXT
               SkyPilot's failure_reason for the job (sky jobs queue -o json, skyloop queue --json): read as
               evidence, a line 0 of the log that is always live (with --job it is read from the queue)
A job that has not ended yet has nothing to diagnose: it says so and exits 1, as does an empty or
binary file.
`;
export async function analyzeLogsCommand(argv, out) {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { job: { type: 'string' }, status: { type: 'string' }, 'failure-reason': { type: 'string' }, json: { type: 'boolean' } },
    });
    const library = defaultLibrary();
    const json = (o) => out.write(cliJson(o));
    if (values.status !== undefined && !TERMINAL_STATUSES.has(values.status)) {
        throw new UsageError(`--status takes the status the job ended in (${[...TERMINAL_STATUSES].join(', ')}), got '${values.status}'`);
    }
    let analysis;
    if (values.job !== undefined) {
        if (positionals.length)
            throw new UsageError('give either a file or --job, not both');
        if (values['failure-reason'] !== undefined)
            throw new UsageError('--failure-reason is for a file: with --job it is read from sky jobs queue');
        const id = Number(values.job);
        if (!Number.isInteger(id) || id <= 0)
            throw new UsageError(`--job takes a managed job id, got '${values.job}'`);
        const sky = new SkyCli();
        const state = await jobState(id, sky);
        if (!isTerminal(state.status)) {
            const running = notFinishedAnalysis(id, state.status);
            if (values.json)
                json(running);
            else
                out.write(`${running.description}\n  ${running.fix_strategy}\n`);
            return 1;
        }
        analysis = await analyzeJob(id, sky, library, state);
    }
    else {
        if (positionals.length !== 1)
            throw new UsageError('expected one log file (or - for standard input), or --job ID');
        const file = positionals[0];
        if (file !== '-')
            refuseUnreadable(file);
        const stream = file === '-' ? process.stdin : createReadStream(file);
        analysis = await analyzeStream(stream, library, { status: values.status ?? null, failure_reason: values['failure-reason'] ?? null });
        if (analysis.bytes === 0)
            throw new CliError(`${file === '-' ? 'standard input' : file}: empty, no log text to diagnose`);
    }
    if (values.json)
        json(analysis);
    else
        out.write(renderAnalysis(analysis));
    return 0;
}
/** A file that is not a log (binary: NUL bytes in its first 8 KiB) is refused before it is read. */
function refuseUnreadable(file) {
    const fd = openSync(file, 'r');
    try {
        const head = Buffer.alloc(8192);
        const n = readSync(fd, head, 0, head.length, 0);
        if (head.subarray(0, n).includes(0))
            throw new CliError(`${file}: a binary file, not a log (NUL bytes in its first ${n} bytes)`);
    }
    finally {
        closeSync(fd);
    }
}
