// Each job's life is fixed at launch as a list of status transitions per task (plus an optional
// STARTING<->PENDING backoff loop for jobs that never get capacity). Everything `sky jobs queue`
// shows is a pure function of (record, now). Cancellation cuts the timeline and appends to it.

import { isTerminal } from '../sky/job-status.js';
import { categoryLines, getCategory } from './failure-library.js';
import type { OutcomeName, Rule, Scenario } from './scenario.js';
import type { TrackingPlan } from './tracking.js';
import type { Profile } from './versions.js';

/** [status, simulated UNIX seconds]. */
export type Transition = [string, number];

export interface BackoffLoop {
  from: number;
  until?: number;
  /** Seconds in STARTING, then seconds in PENDING (backoff), repeated. */
  a: number;
  b: number;
}

export interface LogPlan {
  nodes: number;
  /** `echo` texts found in setup / run (first few), replayed as program output. */
  su: string[];
  ru: string[];
  /** Progress lines over a full final attempt, seconds between them, setup duration. */
  n: number;
  iv: number;
  sd: number;
  /** Failure category (failure-log library) and the phase it fails in. */
  cat?: string;
  ph?: 'setup' | 'run' | 'provision';
  rc?: number;
  url?: string;
  /** The log the controller kept of a finished task, verbatim; null: none was kept; absent: the generated one. */
  kept?: string[] | null;
}

export interface TaskRecord {
  name: string;
  res: string;
  /** When the task was submitted (pipelines: when the previous task finished); absent = never. */
  sub?: number;
  tl: Transition[];
  loop?: BackoffLoop;
  fr?: string;
  infra: string;
  cloud: string;
  region: string;
  zone?: string;
  cres: string;
  /** The job cluster's name as SkyPilot recorded it; absent: the name the controller gives it, null: none recorded. */
  cluster?: string | null;
  log: LogPlan;
  /** Index of the scenario rule that decided the task's fate (for `sky-sim sim rules`). */
  rule?: number;
}

export interface JobRecord {
  id: number;
  name: string;
  user: string;
  uh: string;
  ws: string;
  sub: number;
  tasks: TaskRecord[];
  /** Run timestamp used in SKYPILOT_TASK_ID. */
  rts: string;
  /** The tracking run the simulated training code logs, when the scenario says so (tracking.ts). */
  trk?: TrackingPlan;
}

export interface TaskSpec {
  name: string;
  resources: string;
  nodes: number;
  envs: Record<string, string>;
  image?: string;
  setup?: string;
  run?: string;
  cloud: string;
  region: string;
  zone?: string;
  clusterResources: string;
}

const DEFAULT_DURATION = 30 * 60;

interface Startup {
  pending: number;
  starting: number;
}

function startupOf(rule: Rule | undefined, scenario: Scenario): Startup {
  const s = rule?.startup ?? scenario.defaults?.startup;
  if (s === undefined) return { pending: 15, starting: 105 };
  if (typeof s === 'number') {
    const pending = Math.min(15, s / 4);
    return { pending, starting: s - pending };
  }
  return { pending: s.pending ?? 15, starting: s.starting ?? 105 };
}

function echoTexts(script: string | undefined): string[] {
  if (!script) return [];
  const out: string[] = [];
  for (const raw of script.split('\n')) {
    const m = /^\s*echo\s+(?:-e\s+)?(.*)$/.exec(raw);
    if (!m) continue;
    let t = m[1]!.trim();
    if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) t = t.slice(1, -1);
    out.push(t.slice(0, 300));
    if (out.length >= 8) break;
  }
  return out;
}

export interface BuiltTask {
  task: TaskRecord;
  /** Time the task reaches a terminal status, or undefined if never (stuck). */
  end?: number;
  final?: string;
}

/** Builds one task's timeline starting at t0 (when it is submitted). */
export function buildTask(
  spec: TaskSpec,
  rule: Rule | undefined,
  scenario: Scenario,
  jobId: number,
  t0: number,
  has: Pick<Profile['has'], 'exitCodesInReason'> = { exitCodesInReason: false },
): BuiltTask {
  let outcome: OutcomeName = rule?.outcome ?? 'succeed';
  const cat = rule?.category ? getCategory(rule.category) : undefined;
  // A `fail` outcome takes its shape from the category's status in the failure-log library.
  if (cat && outcome === 'fail') {
    const byStatus: Record<string, OutcomeName> = {
      FAILED_PRECHECKS: 'failed_precheck',
      FAILED_NO_RESOURCE: 'failed_no_resource',
      FAILED_CONTROLLER: 'failed_controller',
      STARTING: 'stuck',
      PENDING: 'stuck',
      RECOVERING: 'preempt',
    };
    outcome = byStatus[cat.status] ?? 'fail';
  }
  const su = startupOf(rule, scenario);
  const tl: Transition[] = [['PENDING', t0]];
  const task: TaskRecord = {
    name: spec.name,
    res: spec.resources,
    sub: t0,
    tl,
    infra: spec.cloud === '-' ? '-' : spec.region ? `${spec.cloud} (${spec.region})` : spec.cloud,
    cloud: spec.cloud,
    region: spec.region,
    cres: spec.clusterResources,
    log: { nodes: spec.nodes, su: echoTexts(spec.setup), ru: echoTexts(spec.run), n: 0, iv: 60, sd: spec.setup ? 20 : 0 },
  };
  if (spec.zone) task.zone = spec.zone;
  const tStart = t0 + su.pending;
  const tRun = tStart + su.starting;
  const logLines = rule?.log_lines ?? scenario.defaults?.log_lines ?? 20;
  if (rule?.tracking_url) task.log.url = rule.tracking_url.replaceAll('{job_id}', String(jobId)).replaceAll('{name}', spec.name);

  const finalOutcome: OutcomeName = outcome === 'preempt' ? (rule?.then ?? 'succeed') : outcome;
  if (cat?.phase === 'provision' && rule?.category) {
    task.log.cat = rule.category;
    task.log.ph = 'provision';
  }
  const failAt = rule?.at ?? (rule?.at_minute !== undefined ? rule.at_minute * 60 : undefined);

  // Outcomes that never reach RUNNING.
  if (finalOutcome === 'stuck' || finalOutcome === 'failed_no_resource' || finalOutcome === 'failed_precheck') {
    tl.push(['STARTING', tStart]);
    if (finalOutcome === 'failed_precheck') {
      const end = tStart + Math.min(su.starting, 20);
      tl.push(['FAILED_PRECHECKS', end]);
      task.fr =
        rule?.reason ??
        (cat?.phase === 'provision' ? bracketReason(rule!.category!) : undefined) ??
        `[sky.exceptions.ResourcesUnavailableError] Task '${spec.name}' requires ${spec.cloud === '-' ? 'AWS' : spec.cloud} which is not enabled. To enable access, change the task cloud requirement or run: sky check ${(spec.cloud === '-' ? 'AWS' : spec.cloud).toLowerCase()}`;
      return { task, end, final: 'FAILED_PRECHECKS' };
    }
    task.loop = { from: tStart, a: 120, b: 60 };
    if (finalOutcome === 'failed_no_resource') {
      const end = tStart + (failAt ?? 4 * 3600);
      task.loop.until = end;
      tl.push(['FAILED_NO_RESOURCE', end]);
      task.fr = rule?.reason ?? 'sky.exceptions.ManagedJobReachedMaxRetriesError: Resources unavailable: failed to launch clusters after 240 retries.';
      return { task, end, final: 'FAILED_NO_RESOURCE' };
    }
    return { task };
  }

  tl.push(['STARTING', tStart]);
  let t = tRun;
  tl.push(['RUNNING', t]);
  if (outcome === 'preempt') {
    const times = rule?.times ?? 1;
    const every = rule?.every ?? 20 * 60;
    const recovery = rule?.recovery ?? 5 * 60;
    for (let k = 0; k < times; k++) {
      t += every;
      tl.push(['RECOVERING', t]);
      t += recovery;
      tl.push(['RUNNING', t]);
    }
  }

  let runFor: number;
  let final: string;
  const failReason = `To see the details, run: sky jobs logs --controller ${jobId}`;
  switch (finalOutcome) {
    case 'fail':
    case 'fail_setup': {
      const setupPhase = finalOutcome === 'fail_setup' || cat?.phase === 'setup';
      runFor = failAt ?? (setupPhase ? 60 : 10 * 60);
      final = setupPhase ? 'FAILED_SETUP' : cat?.status && cat.status.startsWith('FAILED') ? cat.status : 'FAILED';
      task.log.ph = setupPhase ? 'setup' : 'run';
      if (rule?.category) task.log.cat = rule.category;
      if (cat?.phase === 'provision') delete task.log.cat;
      task.log.rc = rule?.exit_code ?? cat?.exitCode ?? 1;
      if (setupPhase) task.log.sd = runFor;
      task.fr = rule?.reason ?? (has.exitCodesInReason ? `${exitCodeText(plannedExitCodes(task.log, setupPhase))} (user program failure). ${failReason}` : failReason);
      break;
    }
    case 'failed_controller':
      runFor = failAt ?? 5 * 60;
      final = 'FAILED_CONTROLLER';
      // sky/jobs/utils.py (every release): the reason the status check found, in parentheses.
      task.fr = rule?.reason ?? `Controller process has exited abnormally (Controller process is dead). For more details, run: sky jobs logs --controller ${jobId}`;
      break;
    default:
      runFor = rule?.duration ?? scenario.defaults?.duration ?? DEFAULT_DURATION;
      final = 'SUCCEEDED';
  }
  if (task.log.ph !== 'setup') task.log.sd = Math.min(task.log.sd, runFor / 4);
  task.log.n = task.log.ph === 'setup' ? 0 : logLines;
  task.log.iv = Math.max((runFor - task.log.sd) / (logLines + 1), 1e-6);
  const end = t + runFor;
  tl.push([final, end]);
  return { task, end, final };
}

/**
 * A precheck category's failure_reason: its last `[sky.exceptions.…] …` line, else its last
 * `sky.exceptions.X: …` line in the bracketed form the controller stores (`format_exception(e,
 * use_bracket=True)`, sky/jobs/controller.py); only the message's first line is kept.
 */
function bracketReason(category: string): string | undefined {
  const lines = categoryLines(category);
  for (let i = lines.length - 1; i >= 0; i--) if (/^\[[\w.]+\] /.test(lines[i]!)) return lines[i];
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(sky\.exceptions\.\w+): (.*)$/.exec(lines[i]!);
    if (m) return `[${m[1]}] ${m[2]}`;
  }
  return undefined;
}

/**
 * The exit codes a failed attempt's job records, one per node (sky/backends/task_codegen.py set_exit_codes):
 * those of the category log's epilogue, else the failing node's code, with 137 for the nodes SkyPilot
 * cleaned up after a run failure and 0 for the nodes whose setup succeeded.
 */
export function plannedExitCodes(log: LogPlan, setup: boolean): number[] {
  for (const l of log.cat ? categoryLines(log.cat) : []) {
    const m = /^ERROR: Job \d+ failed with return code list: \[([\d, ]+)\]/.exec(l);
    if (m) return m[1]!.split(',').map((x) => Number(x.trim()));
  }
  const rc = log.rc ?? 1;
  return [rc, ...Array.from({ length: log.nodes - 1 }, () => (setup ? 0 : 137))];
}

/** How 0.14's controller names them (sky/jobs/controller.py): `exit code 1`, or `exit codes [1, 137]`. */
const exitCodeText = (codes: number[]) => (codes.length === 1 ? `Job exited with exit code ${codes[0]}` : `Job exited with exit codes [${codes.join(', ')}]`);

export interface TaskView {
  status: string;
  submittedAt: number | null;
  startAt: number | null;
  endAt: number | null;
  jobDuration: number;
  lastRecoveredAt: number;
  recoveryCount: number;
  scheduleState: string;
  details: string | null;
  failureReason: string | null;
  backoff: boolean;
}

function loopStatusAt(loop: BackoffLoop, t: number): string | undefined {
  if (t < loop.from || (loop.until !== undefined && t >= loop.until)) return undefined;
  const phase = (t - loop.from) % (loop.a + loop.b);
  return phase < loop.a ? 'STARTING' : 'PENDING';
}

export function statusAt(task: TaskRecord, t: number): { status: string; backoff: boolean } {
  if (task.loop) {
    const s = loopStatusAt(task.loop, t);
    if (s !== undefined) return { status: s, backoff: s === 'PENDING' };
  }
  let status = task.tl[0]?.[0] ?? 'PENDING';
  for (const [s, at] of task.tl) {
    if (at <= t) status = s;
    else break;
  }
  return { status, backoff: false };
}

export interface Attempt {
  index: number;
  start: number;
  /** Planned end (from the launch-time plan, before any cancellation). */
  plannedEnd: number | undefined;
  /** Actual end given cancellations; undefined while still running. */
  end: number | undefined;
  /** Status the RUNNING segment ended in. */
  endStatus: string | undefined;
}

/** RUNNING segments ("attempts": a fresh cluster each) up to time t. */
export function attempts(task: TaskRecord, t = Number.POSITIVE_INFINITY): Attempt[] {
  const out: Attempt[] = [];
  const tl = task.tl;
  for (let i = 0; i < tl.length; i++) {
    const [s, at] = tl[i]!;
    if (s !== 'RUNNING' || at > t) continue;
    const next = tl[i + 1];
    const ended = next !== undefined && next[1] <= t;
    out.push({
      index: out.length,
      start: at,
      plannedEnd: next?.[1],
      end: ended ? next[1] : undefined,
      endStatus: ended ? next[0] : undefined,
    });
  }
  return out;
}

export function taskView(task: TaskRecord, t: number): TaskView {
  const { status, backoff } = statusAt(task, t);
  const atts = attempts(task, t);
  let jobDuration = 0;
  for (const a of atts) {
    // SkyPilot stops the duration clock at the end of the job, not when cancellation starts.
    let end = a.end;
    if (a.endStatus === 'CANCELLING') end = task.tl.find(([s, at]) => s === 'CANCELLED' && at <= t)?.[1];
    jobDuration += (end ?? t) - a.start;
  }
  const first = atts[0];
  const last = atts[atts.length - 1];
  const terminal = isTerminal(status);
  let endAt: number | null = null;
  if (terminal) {
    for (const [s, at] of task.tl) if (s === status && at <= t) endAt = at;
  }
  // Counted when a recovery succeeds (set_recovered), not when it starts.
  const recoveryCount = task.tl.filter(([s, at], i) => s === 'RECOVERING' && at <= t && (task.tl[i + 1]?.[1] ?? Infinity) <= t && task.tl[i + 1]?.[0] === 'RUNNING').length;
  let scheduleState: string;
  if (terminal) scheduleState = 'DONE';
  else if (backoff) scheduleState = 'ALIVE_BACKOFF';
  else if (status === 'PENDING') scheduleState = 'WAITING';
  else if (status === 'STARTING' || status === 'SUBMITTED') scheduleState = 'LAUNCHING';
  else scheduleState = 'ALIVE';
  const failureReason = terminal && status !== 'SUCCEEDED' && status !== 'CANCELLED' ? (task.fr ?? null) : null;
  let details: string | null = null;
  if (backoff) details = 'In backoff, waiting for resources';
  else if (scheduleState === 'WAITING') details = 'Waiting for other jobs to launch';
  if (details && failureReason) details = `${details} - ${failureReason}`;
  else if (!details && failureReason) details = `Failure: ${failureReason}`;
  return {
    status,
    submittedAt: task.sub !== undefined && task.sub <= t ? task.sub : null,
    startAt: first ? first.start : null,
    endAt,
    jobDuration,
    lastRecoveredAt: last ? last.start : -1,
    recoveryCount,
    scheduleState,
    details,
    failureReason,
    backoff,
  };
}

/** The job's status: the first task that is not SUCCEEDED (`_get_job_status_from_tasks`). */
export function jobStatus(job: JobRecord, t: number): { status: string; taskId: number } {
  for (const [i, task] of job.tasks.entries()) {
    const s = statusAt(task, t).status;
    if (s !== 'SUCCEEDED') return { status: s, taskId: i };
  }
  return { status: 'SUCCEEDED', taskId: Math.max(job.tasks.length - 1, 0) };
}

/** Appends a cancellation at time tc (cut the plan, CANCELLING, then CANCELLED a few seconds later). */
/**
 * `signalOnly` is 0.9.3's cancel of a job whose controller has not started: SkyPilot only writes the cancel
 * signal, the job stays PENDING until the scheduler starts its controller, which then cancels it.
 */
export function cancelJob(job: JobRecord, tc: number, { signalOnly = false }: { signalOnly?: boolean } = {}): void {
  const { status } = jobStatus(job, tc);
  if (signalOnly && status === 'PENDING') {
    const start = nextChange(job, tc);
    if (start === undefined) return; // never scheduled: PENDING for good
    cancelJob(job, start);
    for (const task of job.tasks) {
      const last = task.tl.at(-1);
      if (last?.[0] === 'CANCELLED' && last[1] === start) task.tl.splice(-1, 1, ['CANCELLING', start], ['CANCELLED', start + 8 + (job.id % 5)]);
    }
    return;
  }
  const direct = status === 'PENDING'; // set_pending_cancelled: straight to CANCELLED
  const done = tc + 8 + (job.id % 5);
  for (const task of job.tasks) {
    const s = statusAt(task, tc).status;
    if (isTerminal(s)) continue;
    task.tl = task.tl.filter(([, at]) => at <= tc);
    if (task.loop) {
      if (task.loop.until === undefined || task.loop.until > tc) task.loop.until = tc;
      if (task.loop.from >= tc) delete task.loop;
    }
    if (task.sub !== undefined && task.sub > tc) delete task.sub;
    if (direct || s === 'PENDING') task.tl.push(['CANCELLED', direct ? tc : done]);
    else {
      task.tl.push(['CANCELLING', tc]);
      task.tl.push(['CANCELLED', done]);
    }
    delete task.fr;
  }
}

/** Next simulated instant at which anything about the job changes after t (for polling). */
export function nextChange(job: JobRecord, t: number): number | undefined {
  let best: number | undefined;
  for (const task of job.tasks) {
    for (const [, at] of task.tl) if (at > t && (best === undefined || at < best)) best = at;
    if (task.loop && t >= task.loop.from && (task.loop.until === undefined || t < task.loop.until)) {
      const period = task.loop.a + task.loop.b;
      const phase = (t - task.loop.from) % period;
      const nxt = t + (phase < task.loop.a ? task.loop.a - phase : period - phase);
      if (best === undefined || nxt < best) best = nxt;
    }
  }
  return best;
}
