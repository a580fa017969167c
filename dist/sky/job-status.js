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
];
export const FAILURE_STATUSES = new Set([
    'FAILED',
    'FAILED_SETUP',
    'FAILED_PRECHECKS',
    'FAILED_NO_RESOURCE',
    'FAILED_CONTROLLER',
]);
export const TERMINAL_STATUSES = new Set([
    'SUCCEEDED',
    'CANCELLED',
    ...FAILURE_STATUSES,
]);
export const PROCESSING_STATUSES = new Set([
    'PENDING',
    'STARTING',
    'RUNNING',
    'WINDING_DOWN',
    'RECOVERING',
]);
const KNOWN = new Set(JOB_STATUSES);
export const isKnownStatus = (s) => KNOWN.has(s);
/** Unknown (future) statuses are never terminal: waiting too long is recoverable, giving up early is not. */
export const isTerminal = (s) => TERMINAL_STATUSES.has(s);
export const isFailure = (s) => FAILURE_STATUSES.has(s);
/** SkyPilot's `JobExitCode` (sky/exceptions.py): exit status of `sky jobs launch` (following) and `sky jobs logs`. */
export const JOB_EXIT_CODES = {
    SUCCEEDED: 0,
    FAILED: 100,
    NOT_FINISHED: 101,
    NOT_FOUND: 102,
    CANCELLED: 103,
};
export function exitCodeForStatus(status) {
    if (status === 'SUCCEEDED')
        return JOB_EXIT_CODES.SUCCEEDED;
    if (status === 'CANCELLED')
        return JOB_EXIT_CODES.CANCELLED;
    if (isFailure(status))
        return JOB_EXIT_CODES.FAILED;
    return JOB_EXIT_CODES.NOT_FINISHED;
}
