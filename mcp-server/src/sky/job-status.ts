// SkyPilot's managed-job state machine (sky/jobs/state.py ManagedJobStatus), in declaration order,
// which SkyPilot also uses as its sort order.
export const JOB_STATUSES = [
  'PENDING',
  'SUBMITTED', // deprecated; only found in old controller databases
  'STARTING',
  'RUNNING',
  'WINDING_DOWN', // `sky batch` coordinator merging outputs (0.13+)
  'RECOVERING',
  'CANCELLING',
  'SUCCEEDED',
  'CANCELLED',
  'FAILED',
  'FAILED_SETUP',
  'FAILED_PRECHECKS',
  'FAILED_NO_RESOURCE',
  'FAILED_CONTROLLER',
] as const;

export type KnownJobStatus = (typeof JOB_STATUSES)[number];

/** A status as SkyPilot printed it: one we know, or a newer one kept verbatim. */
export type JobStatus = KnownJobStatus | (string & { readonly __unknownStatus?: never });

export const FAILURE_STATUSES: ReadonlySet<string> = new Set<KnownJobStatus>([
  'FAILED',
  'FAILED_SETUP',
  'FAILED_PRECHECKS',
  'FAILED_NO_RESOURCE',
  'FAILED_CONTROLLER',
]);

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set<KnownJobStatus>([
  'SUCCEEDED',
  'CANCELLED',
  ...(FAILURE_STATUSES as ReadonlySet<KnownJobStatus>),
]);

export const PROCESSING_STATUSES: ReadonlySet<string> = new Set<KnownJobStatus>([
  'PENDING',
  'STARTING',
  'RUNNING',
  'WINDING_DOWN',
  'RECOVERING',
]);

const KNOWN: ReadonlySet<string> = new Set(JOB_STATUSES);

export const isKnownStatus = (s: string): s is KnownJobStatus => KNOWN.has(s);
/** Unknown (future) statuses are never terminal: waiting too long is recoverable, giving up early is not. */
export const isTerminal = (s: string): boolean => TERMINAL_STATUSES.has(s);
export const isFailure = (s: string): boolean => FAILURE_STATUSES.has(s);

/** SkyPilot's `JobExitCode` (sky/exceptions.py): exit status of `sky jobs launch` (following) and `sky jobs logs`. */
export const JOB_EXIT_CODES = {
  SUCCEEDED: 0,
  FAILED: 100,
  NOT_FINISHED: 101,
  NOT_FOUND: 102,
  CANCELLED: 103,
} as const;

export function exitCodeForStatus(status: string): number {
  if (status === 'SUCCEEDED') return JOB_EXIT_CODES.SUCCEEDED;
  if (status === 'CANCELLED') return JOB_EXIT_CODES.CANCELLED;
  if (isFailure(status)) return JOB_EXIT_CODES.FAILED;
  return JOB_EXIT_CODES.NOT_FINISHED;
}
