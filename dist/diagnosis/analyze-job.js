import { SkyError } from '../sky/sky-errors.js';
import { LogAnalyzer } from './analyze-log.js';
/**
 * Statuses whose story is in the controller log: the user program never ran (still waiting for resources,
 * or gave up), or the controller itself failed.
 */
const CONTROLLER_STATUSES = new Set(['FAILED_CONTROLLER', 'FAILED_PRECHECKS', 'FAILED_NO_RESOURCE', 'PENDING', 'STARTING']);
export async function analyzeJob(jobId, sky, library, known) {
    let job = known;
    if (!job) {
        const record = (await sky.queue()).records.find((r) => r.job_id === jobId);
        if (!record)
            throw new SkyError('job_not_found', `SkyPilot has no managed job with id ${jobId}`, 'sky jobs queue', { jobId });
        job = { status: record.status, failure_reason: record.failure_reason };
    }
    const ctx = { status: job.status, failure_reason: job.failure_reason };
    const read = async (controller) => {
        const analyzer = new LogAnalyzer(library);
        await sky.logs(jobId, { controller, tail: 0, inQueue: true, onLine: (line) => analyzer.write(`${line}\n`) });
        return analyzer.finish(ctx);
    };
    const controllerFirst = CONTROLLER_STATUSES.has(job.status);
    let log = controllerFirst ? 'controller' : 'job';
    let analysis = await read(controllerFirst);
    if (!controllerFirst && analysis.lines === 0) {
        log = 'controller';
        analysis = await read(true);
    }
    return { ...analysis, job_id: jobId, status: job.status, log };
}
