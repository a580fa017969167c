import { isTerminal } from './job-status.js';
import { cleanLines } from './sky-output-text.js';
import { parseDuration, parseRelativeAge } from './time-text.js';
export class QueueParseError extends Error {
    name = 'QueueParseError';
}
const NO_JOBS = /^No in-progress managed jobs\b/;
const FOOTER = /^Only showing the latest \d+ managed jobs/;
const PIPELINE_TASK_MARK = '↳';
function headerColumns(line) {
    // Header names may contain single spaces (`TOT. DURATION`) but never two in a row.
    return [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index }));
}
function isHeader(line) {
    return /^ID {2,}/.test(line) && /\bNAME\b/.test(line) && /\bSTATUS\b/.test(line);
}
/** Cells of one row: positional when every cell is present, else sliced at the header's offsets. */
function rowCells(line, columns) {
    const tokens = line.trim().split(/\s{2,}/);
    if (tokens.length === columns.length)
        return tokens;
    return columns.map((col, i) => line.slice(col.start, columns[i + 1]?.start ?? line.length).trim());
}
/** The controller state behind a "No in-progress managed jobs" answer (sky/client/cli: the hint it appends). */
export function controllerFromNoJobsLine(line) {
    if (/See finished managed jobs: sky jobs queue --refresh/.test(line))
        return 'stopped';
    if (/\(See: sky jobs -h\)/.test(line))
        return 'absent';
    return 'up';
}
/**
 * Parse the full stdout of `sky jobs queue [-v] [-u] [-a]`.
 * `now` (unix seconds) turns relative times into timestamps, marked `approximate`.
 */
export function parseQueueTable(stdout, now) {
    const lines = cleanLines(stdout);
    const headerIndex = lines.findIndex(isHeader);
    if (headerIndex < 0) {
        const noJobs = lines.find((l) => NO_JOBS.test(l.trim()));
        if (noJobs !== undefined)
            return { records: [], truncated: false, controller: controllerFromNoJobsLine(noJobs) };
        throw new QueueParseError(`no job table in the output (expected a header line starting with "ID  ")`);
    }
    if (!stdout.endsWith('\n') && lines.length - 1 > headerIndex && lines.at(-1)?.trim() !== '') {
        throw new QueueParseError('the output ends in the middle of a line (truncated)');
    }
    const columns = headerColumns(lines[headerIndex]);
    const index = new Map(columns.map((c, i) => [c.name, i]));
    const col = (cells, name) => {
        const i = index.get(name);
        return i === undefined ? undefined : cells[i];
    };
    const records = [];
    let truncated = false;
    let pipeline;
    for (let n = headerIndex + 1; n < lines.length; n++) {
        const line = lines[n];
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
        if (status === '')
            throw new QueueParseError(`line ${n + 1} has no STATUS: ${JSON.stringify(line.slice(0, 120))}`);
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
function nullIfDash(v) {
    return v === undefined || v === '' || v === '-' ? null : v;
}
/**
 * Timestamps from a table row. TOT. DURATION runs from submission to the end, or to now while the job is
 * still going — so for live jobs it pins submission to the second, better than "2 hrs ago".
 */
function rowTiming(status, now, t) {
    const terminal = isTerminal(status);
    let submitted_at = t.submittedAge === null ? null : now - t.submittedAge;
    if (!terminal && t.totalDuration !== null)
        submitted_at = now - t.totalDuration;
    return {
        submitted_at,
        started_at: t.startedAge === null ? null : now - t.startedAge,
        ended_at: terminal && submitted_at !== null && t.totalDuration !== null ? submitted_at + t.totalDuration : null,
    };
}
