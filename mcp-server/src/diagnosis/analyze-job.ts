// analyze_logs for a managed job: stream its log (or its controller log, when the job never ran its
// program or SkyPilot's failure_reason says the story is there) through the engine, SkyPilot's
// failure_reason included as evidence.
import type { SkyPort } from '../factorial/factorial-context.js';
import { redact } from '../redaction/redact.js';
import { LogAnalyzer, type LogAnalysis } from './analyze-log.js';
import { jobState, type JobState } from './not-finished.js';
import type { PatternLibrary } from './pattern-library.js';

/**
 * Statuses whose story is in the controller log: the user program never ran (still waiting for resources,
 * or gave up), or the controller itself failed.
 */
const CONTROLLER_STATUSES = new Set(['FAILED_CONTROLLER', 'FAILED_PRECHECKS', 'FAILED_NO_RESOURCE', 'PENDING', 'STARTING']);

/**
 * failure_reasons SkyPilot writes for a failure outside the user program (sky/jobs/controller.py,
 * sky/jobs/utils.py in 0.9.3 … 0.14.1): prechecks (`[sky.exceptions.…] …`), no resources after the retries,
 * a dead controller, the job driver, cleanup. Whatever the status says, the controller log has the story.
 */
const OUTSIDE_PROGRAM = [
  /^\[sky\.exceptions\.\w+\]/,
  /ManagedJobReachedMaxRetriesError|Resources unavailable: failed to launch/,
  /Controller process has exited abnormally/,
  /The job driver on the remote cluster failed/,
  /^Unexpected error occurred/,
  /^Failed to clean up/,
];

/** Every release's reason for a failed program ends by sending the user to the controller log. */
const POINTS_TO_CONTROLLER = /sky jobs logs --controller \d+/;

/** `sky jobs logs` of a finished job whose log was not kept: SkyPilot's pointer, not the program's output. */
const NO_KEPT_LOG = /^Job \d+ is already in terminal state \w+\. For more details, run: sky jobs logs --controller \d+/;

/** A pipeline's `sky jobs logs` prints each task's log under `=== Task name(i) ===` (0.10 on). */
const TASK_HEADER = /^=== Task (?:.*\((\d+)\)|(\d+)) ===$/;

export interface JobAnalysis extends LogAnalysis {
  job_id: number;
  status: string | null;
  /** The task analysed: the one that decides the job's status (a pipeline's failed task). */
  task_id: number;
  log: 'job' | 'controller';
  /** Why that log was read (the status, SkyPilot's failure_reason, an empty job log…). */
  log_reason: string;
}

const RANK = { high: 2, medium: 1, low: 0 } as const;
const worth = (a: LogAnalysis) => (a.category === 'UNKNOWN' ? -1 : RANK[a.confidence]);

export async function analyzeJob(
  jobId: number,
  sky: Pick<SkyPort, 'queue' | 'logs'>,
  library: PatternLibrary,
  known?: Pick<JobState, 'status' | 'failure_reason'> & Partial<JobState>,
): Promise<JobAnalysis> {
  const job: JobState = known?.task_id !== undefined && known.tasks !== undefined ? (known as JobState) : { task_id: 0, tasks: 1, ...(known ?? (await jobState(jobId, sky))) };
  const ctx = { status: job.status, failure_reason: job.failure_reason };
  const read = async (controller: boolean) => {
    const analyzer = new LogAnalyzer(library);
    let pointerOnly = false;
    // A pipeline's job log holds every task; only the section of the task that decides the status is read.
    let section: number | null = null;
    await sky.logs(jobId, {
      controller,
      tail: 0,
      inQueue: true,
      onLine: (line) => {
        if (!controller && NO_KEPT_LOG.test(line)) pointerOnly = true;
        const header = !controller && job.tasks > 1 ? TASK_HEADER.exec(line) : null;
        if (header) section = Number(header[1] ?? header[2]);
        if (section === null || section === job.task_id) analyzer.write(`${line}\n`);
      },
    });
    return { analysis: analyzer.finish(ctx), pointerOnly };
  };

  const reason = job.failure_reason ?? '';
  const outside = OUTSIDE_PROGRAM.some((re) => re.test(reason));
  if (CONTROLLER_STATUSES.has(job.status) || outside) {
    const why = CONTROLLER_STATUSES.has(job.status)
      ? `status ${job.status}: the program never ran, or the controller failed`
      : `SkyPilot's failure_reason names a failure outside the program: ${redact(reason)}`;
    return done((await read(true)).analysis, 'controller', why);
  }

  const { analysis, pointerOnly } = await read(false);
  if (analysis.lines === 0 || pointerOnly) {
    const why = analysis.lines === 0 ? 'the job log is empty' : 'SkyPilot kept no log of the job; its message points at the controller log';
    return done((await read(true)).analysis, 'controller', why);
  }
  // SkyPilot's reason for a failed program says the details are in the controller log: when the job log
  // does not explain the failure, that log (the controller's lines and the program's output) is read too.
  if (POINTS_TO_CONTROLLER.test(reason) && worth(analysis) < RANK.medium) {
    const controller = (await read(true)).analysis;
    if (worth(controller) > worth(analysis)) {
      return done(controller, 'controller', `the job log did not explain the failure and SkyPilot's failure_reason points at the controller log: ${redact(reason)}`);
    }
  }
  return done(analysis, 'job', `status ${job.status}: the program ran; its own log has the story`);

  function done(a: LogAnalysis, log: JobAnalysis['log'], why: string): JobAnalysis {
    const task = job.tasks > 1 ? `; task ${job.task_id} of ${job.tasks}, the one that decides the job's status` : '';
    return { ...a, job_id: jobId, status: job.status, task_id: job.task_id, log, log_reason: why + task };
  }
}
