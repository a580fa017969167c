// What differs between the SkyPilot releases the simulator can pretend to be: one table of capabilities, each
// with the first release that has it, so a command asks `p.has.x` and never which release it is. Each
// emulation is checked against the real release by the contract tests (test/contract/).

/** The releases emulated, oldest first (the contract tests run each one's real CLI). */
const RELEASES = ['0.9.3', '0.10.5', '0.11.2', '0.12.3.post1', '0.13.0', '0.14.1'] as const;
type Release = (typeof RELEASES)[number];

/** Each capability and the first emulated release that has it; every later release has it too. */
const SINCE = {
  // sky jobs queue
  /** The table of 0.10+: WORKSPACE, REQUESTED, POOL, WORKER_CLUSTER, INFRA… (0.9.3: RESOURCES, CLUSTER, REGION). */
  workspaceQueueTable: '0.10.5',
  /** `-l/--limit` applied by the server (0.9.3's client only cuts the table), and "(use --limit to show more …)". */
  queueLimit: '0.10.5',
  /** `-o/--output json` and the PROGRESS column. */
  queueJson: '0.12.3.post1',
  /** `-s` is `--status` (a bare `-s` a deprecated alias of `--skip-finished`), which lost its short name. */
  statusFilter: '0.13.0',
  /** DETAILS and JSON records carry the reasons of the job's event table (pending, recovering). */
  eventReasons: '0.13.0',
  /** …on the rows in that status only (0.13 keys them by job: every row of a job with a task in that status). */
  eventReasonsPerTask: '0.14.1',
  /** JSON records have the job-group fields (root_job_id, parent_job_id, parent_task_id, dynamic_task_index). */
  jobGroupFields: '0.14.1',
  /** The server fills only the fields the CLI asks for (priority, is_job_group, last_recovered_at stay null). */
  fieldsAsRequested: '0.14.1',
  /** A failed program's failure_reason names its exit codes, `Job exited with exit code 1 (user program failure).
   * To see the details, …` (sky/jobs/controller.py); before: only `To see the details, …`. */
  exitCodesInReason: '0.14.1',

  // sky jobs logs
  /** `--no-follow` exits 0 whatever the status (0.9.3 returns the JobExitCode); following still returns it. */
  noFollowExitsZero: '0.10.5',
  /** Without a controller the client ends silently with 0 (0.9.3 raises the server's ClusterNotUpError). */
  logsQuietWithoutController: '0.10.5',
  /** The `✓ Job finished (status: S).` epilogue after a kept log. */
  jobFinishedEpilogue: '0.10.5',
  /** An unknown job id prints `Job N not found.` (earlier releases wait for it forever, printing nothing). */
  logsUnknownJobNotFound: '0.11.2',
  /** The optional TASK argument (`sky jobs logs JOB_ID TASK`). */
  logsTaskArg: '0.11.2',
  /** `--tail N`, and following shows the last 1000 lines by default. */
  logsTail: '0.12.3.post1',

  // sky jobs cancel
  /** `-p/--pool`. */
  cancelPool: '0.10.5',
  /** A cancel by name reports `'name' Job with ID N is scheduled…` (0.9.3: `Job 'name' is scheduled…`). */
  cancelNamedIds: '0.10.5',
  /** Cancel no longer starts with `Cancelling jobs N.` (0.9.3's controller code logs the ids it goes through). */
  cancelWithoutIdList: '0.10.5',
  /** Cancel sets a job whose controller has not started CANCELLED itself (0.9.3 only writes the signal: the job
   * stays PENDING until the scheduler starts its controller, which then cancels it). */
  cancelPendingDirectly: '0.10.5',
  /** `--graceful`, `--graceful-timeout`. */
  cancelGraceful: '0.12.3.post1',

  // other commands
  /** `sky check -o json`. */
  checkJson: '0.12.3.post1',
  /** `sky gpus list` (earlier: `sky show-gpus`). */
  gpusList: '0.12.3.post1',
  /** `sky jobs launch` ends with the CLI's "📋 Useful Commands / Managed Job ID: N" block (launch contract). */
  launchUsefulCommands: '0.12.3.post1',
  /**
   * `sky jobs launch` first makes sure the jobs controller is up: a launch of the controller cluster with no run
   * commands (its yellow `Ensuring the jobs controller … is up` line and that launch's own lines).
   */
  ensureControllerUp: '0.11.2',
} as const satisfies Record<string, Release>;

export type Capability = keyof typeof SINCE;

export interface Profile {
  /** `sky --version` string. */
  version: Release;
  has: Record<Capability, boolean>;
}

function profile(version: Release): Profile {
  const at = RELEASES.indexOf(version);
  const has = Object.fromEntries(Object.entries(SINCE).map(([cap, since]) => [cap, RELEASES.indexOf(since) <= at]));
  return { version, has: has as Record<Capability, boolean> };
}

const PROFILES: Record<string, Profile> = {
  ...Object.fromEntries(RELEASES.map((r) => [r, profile(r)])),
  // `0.10.6` is a source branch, never released: the latest 0.10 on the package index stands for it.
  '0.10.6': profile('0.10.5'),
  // The newest release on the package index.
  current: profile('0.14.1'),
};

export const EMULATE_NAMES = Object.keys(PROFILES);

export function profileFor(name: string | undefined): Profile | undefined {
  if (name === undefined || name === '') return PROFILES.current;
  return PROFILES[name];
}
