// analyze_logs for a managed job: stream its log (or its controller log, when the job never ran its
// program) through the engine once.
import type { SkyPort } from '../factorial/factorial-context.js';
import { SkyError } from '../sky/sky-errors.js';
import { LogAnalyzer, type LogAnalysis } from './analyze-log.js';
import type { PatternLibrary } from './pattern-library.js';

/**
 * Statuses whose story is in the controller log: the user program never ran (still waiting for resources,
 * or gave up), or the controller itself failed.
 */
const CONTROLLER_STATUSES = new Set(['FAILED_CONTROLLER', 'FAILED_PRECHECKS', 'FAILED_NO_RESOURCE', 'PENDING', 'STARTING']);

export interface JobAnalysis extends LogAnalysis {
  job_id: number;
  status: string | null;
  log: 'job' | 'controller';
}

export async function analyzeJob(
  jobId: number,
  sky: Pick<SkyPort, 'queue' | 'logs'>,
  library: PatternLibrary,
  known?: { status: string; failure_reason: string | null },
): Promise<JobAnalysis> {
  let job = known;
  if (!job) {
    const record = (await sky.queue()).records.find((r) => r.job_id === jobId);
    if (!record) throw new SkyError('job_not_found', `SkyPilot has no managed job with id ${jobId}`, 'sky jobs queue', { jobId });
    job = { status: record.status, failure_reason: record.failure_reason };
  }
  const ctx = { status: job.status, failure_reason: job.failure_reason };
  const read = async (controller: boolean) => {
    const analyzer = new LogAnalyzer(library);
    await sky.logs(jobId, { controller, tail: 0, inQueue: true, onLine: (line) => analyzer.write(`${line}\n`) });
    return analyzer.finish(ctx);
  };
  const controllerFirst = CONTROLLER_STATUSES.has(job.status);
  let log: JobAnalysis['log'] = controllerFirst ? 'controller' : 'job';
  let analysis = await read(controllerFirst);
  if (!controllerFirst && analysis.lines === 0) {
    log = 'controller';
    analysis = await read(true);
  }
  return { ...analysis, job_id: jobId, status: job.status, log };
}
