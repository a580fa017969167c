// What every pre-flight check answers: pass, fail or skipped (with the reason in `detail`), a hint that
// says how to fix a failure, and how long the check took. Checks never throw for an expected failure.
export const CHECK_NAMES = [
    'cloud_credentials',
    'gpu_availability',
    'tracking_server',
    'image_in_registry',
    'data_pushed',
    'env_vars',
    'disk_space',
];
/** Starts the clock of one check and builds its results. */
export function checkClock(name) {
    const started = Date.now();
    const make = (status) => (detail, fix_hint = null, data) => ({
        name,
        status,
        detail,
        fix_hint,
        duration_ms: Date.now() - started,
        ...(data === undefined ? {} : { data }),
    });
    return { pass: make('pass'), fail: make('fail'), skipped: make('skipped') };
}
/** The message of anything thrown, for a `fail` detail. */
export const errorMessage = (e) => (e instanceof Error ? e.message : String(e));
/** A value that reaches a subprocess as an argument must not look like a flag. */
export function notAFlag(what, value) {
    if (value.startsWith('-'))
        throw new TypeError(`${what} must not start with '-': ${JSON.stringify(value)}`);
    return value;
}
