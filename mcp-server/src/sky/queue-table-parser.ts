// Parser for the `sky jobs queue` table (sky/jobs/utils.py format_job_table): prettytable with no border,
// left-aligned cells each followed by two spaces. Driven by the header, so every layout since 0.9.x
// (RESOURCES → REQUESTED, WORKSPACE, USER, POOL, PROGRESS, the `-v` columns) parses the same way.
import type { JobRecord } from './job-record.js';
import { isTerminal } from './job-status.js';
import { cleanLines } from './sky-output-text.js';
import { parseDuration, parseRelativeAge } from './time-text.js';

export class QueueParseError extends Error {
  override readonly name = 'QueueParseError';
}

interface Column {
  name: string;
  start: number;
}

const NO_JOBS = /^No in-progress managed jobs\b/;
const FOOTER = /^Only showing the latest \d+ managed jobs/;
const PIPELINE_TASK_MARK = '↳';

function headerColumns(line: string): Column[] {
  // Header names may contain single spaces (`TOT. DURATION`) but never two in a row.
  return [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index }));
}

function isHeader(line: string): boolean {
  return /^ID {2,}/.test(line) && /\bNAME\b/.test(line) && /\bSTATUS\b/.test(line);
}

/** Cells of one row: positional when every cell is present, else sliced at the header's offsets. */
function rowCells(line: string, columns: Column[]): string[] {
  const tokens = line.trim().split(/\s{2,}/);
  if (tokens.length === columns.length) return tokens;
  return columns.map((col, i) => line.slice(col.start, columns[i + 1]?.start ?? line.length).trim());
}

/** The jobs controller's cluster as SkyPilot reported it: stopped (autostopped when idle) or absent (never launched). */
export type ControllerState = 'up' | 'stopped' | 'absent';

export interface ParsedQueue {
  records: JobRecord[];
  /** True when SkyPilot said it only showed the latest N jobs. */
  truncated: boolean;
  controller: ControllerState;
}

/** The controller state behind a "No in-progress managed jobs" answer (sky/client/cli: the hint it appends). */
export function controllerFromNoJobsLine(line: string): ControllerState {
  if (/See finished managed jobs: sky jobs queue --refresh/.test(line)) return 'stopped';
  if (/\(See: sky jobs -h\)/.test(line)) return 'absent';
  return 'up';
}

/**
 * Parse the full stdout of `sky jobs queue [-v] [-u] [-a]`.
 * `now` (unix seconds) turns relative times into timestamps, marked `approximate`.
 */
export function parseQueueTable(stdout: string, now: number): ParsedQueue {
  const lines = cleanLines(stdout);
  const headerIndex = lines.findIndex(isHeader);
  if (headerIndex < 0) {
    const noJobs = lines.find((l) => NO_JOBS.test(l.trim()));
    if (noJobs !== undefined) return { records: [], truncated: false, controller: controllerFromNoJobsLine(noJobs) };
    throw new QueueParseError(`no job table in the output (expected a header line starting with "ID  ")`);
  }
  if (!stdout.endsWith('\n') && lines.length - 1 > headerIndex && lines.at(-1)?.trim() !== '') {
    throw new QueueParseError('the output ends in the middle of a line (truncated)');
  }
  const columns = headerColumns(lines[headerIndex] as string);
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const col = (cells: string[], name: string): string | undefined => {
    const i = index.get(name);
    return i === undefined ? undefined : cells[i];
  };

  const records: JobRecord[] = [];
  let truncated = false;
  let pipeline: { jobId: number; jobName: string; user: string | undefined } | undefined;

  for (let n = headerIndex + 1; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') {
      pipeline = undefined; // blank separator row closes a pipeline group
      continue;
    }
    if (FOOTER.test(line.trim())) {
      truncated = true;
      continue;
    }
    const cells = rowCells(line, columns);
    const idCell = col(cells, 'ID') ?? '';
    const taskCell = col(cells, 'TASK');
    const isTaskRow = idCell === PIPELINE_TASK_MARK;
    if (!isTaskRow && !/^\d+$/.test(idCell)) {
      throw new QueueParseError(`line ${n + 1} is not a job row: ${JSON.stringify(line.slice(0, 120))}`);
    }
    const name = (col(cells, 'NAME') ?? '').replace(/ \[P\]$/, '');
    if (!isTaskRow && taskCell === '') {
      // Aggregate row of a pipeline: its task rows follow and carry the per-task truth.
      pipeline = { jobId: Number(idCell), jobName: name, user: col(cells, 'USER') };
      continue;
    }
    if (isTaskRow && !pipeline) {
      throw new QueueParseError(`line ${n + 1}: pipeline task row without its job row`);
    }
    const status = (col(cells, 'STATUS') ?? '').replace(/ \(task: \d+\)$/, '');
    if (status === '') throw new QueueParseError(`line ${n + 1} has no STATUS: ${JSON.stringify(line.slice(0, 120))}`);

    const timing = rowTiming(status, now, {
      submittedAge: parseRelativeAge(col(cells, 'SUBMITTED') ?? '-'),
      totalDuration: parseDuration(col(cells, 'TOT. DURATION') ?? '-'),
      startedAge: parseRelativeAge(col(cells, 'STARTED') ?? '-'),
    });
    const details = nullIfDash(col(cells, 'DETAILS'));
    const group = isTaskRow ? pipeline : undefined;
    records.push({
      job_id: group ? group.jobId : Number(idCell),
      task_id: taskCell === undefined || taskCell === '-' ? 0 : Number(taskCell),
      job_name: group ? group.jobName : name,
      task_name: name,
      status,
      // In `-v` tables of 0.10+ RESOURCES is the launched cluster; REQUESTED is what the task asked for.
      resources: nullIfDash(col(cells, 'REQUESTED') ?? col(cells, 'RESOURCES')),
      infra: nullIfDash(col(cells, 'INFRA') ?? col(cells, 'REGION')),
      ...timing,
      job_duration_s: parseDuration(col(cells, 'JOB DURATION') ?? '-'),
      recovery_count: Number(col(cells, '#RECOVERIES') ?? 0) || 0,
      failure_reason: details?.startsWith('Failure: ') ? details.slice('Failure: '.length) : null,
      details,
      user: nullIfDash(col(cells, 'USER') ?? group?.user),
      workspace: nullIfDash(col(cells, 'WORKSPACE')),
      pool: nullIfDash(col(cells, 'POOL')),
      time_precision: 'approximate',
    });
  }
  return { records, truncated, controller: 'up' };
}

function nullIfDash(v: string | undefined): string | null {
  return v === undefined || v === '' || v === '-' ? null : v;
}

/**
 * Timestamps from a table row. TOT. DURATION runs from submission to the end, or to now while the job is
 * still going — so for live jobs it pins submission to the second, better than "2 hrs ago".
 */
function rowTiming(
  status: string,
  now: number,
  t: { submittedAge: number | null; totalDuration: number | null; startedAge: number | null },
): Pick<JobRecord, 'submitted_at' | 'started_at' | 'ended_at'> {
  const terminal = isTerminal(status);
  let submitted_at = t.submittedAge === null ? null : now - t.submittedAge;
  if (!terminal && t.totalDuration !== null) submitted_at = now - t.totalDuration;
  return {
    submitted_at,
    started_at: t.startedAge === null ? null : now - t.startedAge,
    ended_at: terminal && submitted_at !== null && t.totalDuration !== null ? submitted_at + t.totalDuration : null,
  };
}
