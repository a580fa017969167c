import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeJob } from '../../diagnosis/analyze-job.js';
import { analyzeStream } from '../../diagnosis/analyze-log.js';
import { defaultLibrary } from '../../diagnosis/default-library.js';
import { renderAnalysis } from '../../diagnosis/render-analysis.js';
import { SkyCli } from '../../sky/sky-cli.js';
import { UsageError } from '../cli-error.js';
export const analyzeLogsHelp = `Usage: skyloop analyze-logs <file | -> [--status S] [--json]
       skyloop analyze-logs --job ID [--json]

The root cause of a failed job, from its log: category, confidence (and why), the evidence lines with
context, the exception type, the exit code, the fix strategy, and the fingerprint that defines "identical
error". The log is streamed once with bounded memory; secrets are redacted from every excerpt.
  --job ID     read the managed job's log through sky (its controller log when the job never ran)
  --status S   the SkyPilot status the job ended in (sharpens confidence for a file)
`;
export async function analyzeLogsCommand(argv, out) {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { job: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } },
    });
    const library = defaultLibrary();
    let analysis;
    if (values.job !== undefined) {
        if (positionals.length)
            throw new UsageError('give either a file or --job, not both');
        const id = Number(values.job);
        if (!Number.isInteger(id) || id <= 0)
            throw new UsageError(`--job takes a managed job id, got '${values.job}'`);
        analysis = await analyzeJob(id, new SkyCli(), library);
    }
    else {
        if (positionals.length !== 1)
            throw new UsageError('expected one log file (or - for standard input), or --job ID');
        const file = positionals[0];
        const stream = file === '-' ? process.stdin : createReadStream(file);
        analysis = await analyzeStream(stream, library, { status: values.status ?? null });
    }
    out.write(values.json ? JSON.stringify(analysis, null, 2) + '\n' : renderAnalysis(analysis));
    return 0;
}
