// Time limits of `sky` calls, one per kind of call. A supervisor left alone for a night must never wait
// forever on a hung API server, and a slow call of one kind (a gigabyte log) must not set the limit of
// another (a queue poll).
export const SKY_CALL_KINDS = ['queue', 'logs', 'launch', 'cancel', 'check', 'gpus', 'version'];
/** Defaults in ms: reads are short; a launch may provision the jobs controller; a log may be large. */
export const DEFAULT_SKY_TIMEOUTS_MS = {
    queue: 60_000,
    logs: 10 * 60_000,
    launch: 10 * 60_000,
    cancel: 60_000,
    check: 120_000,
    gpus: 120_000,
    version: 60_000,
};
const positive = (raw) => {
    const v = Number(raw);
    return raw !== undefined && raw !== '' && Number.isFinite(v) && v > 0 ? v : undefined;
};
/**
 * `SKYLOOP_SKY_TIMEOUT_MS` sets every kind; `SKYLOOP_SKY_TIMEOUT_<KIND>_MS` (e.g. `..._LOGS_MS`) sets one;
 * explicit options win over both.
 */
export function skyTimeouts(env, overrides = {}) {
    const all = positive(env.SKYLOOP_SKY_TIMEOUT_MS);
    const out = { ...DEFAULT_SKY_TIMEOUTS_MS };
    for (const kind of SKY_CALL_KINDS) {
        out[kind] = overrides[kind] ?? positive(env[`SKYLOOP_SKY_TIMEOUT_${kind.toUpperCase()}_MS`]) ?? all ?? out[kind];
    }
    return out;
}
/** Exponential backoff with jitter (50-150 % of the nominal delay), so retrying clients do not march in step. */
export function backoffMs(baseMs, attempt, random = Math.random) {
    return Math.round(baseMs * 2 ** attempt * (0.5 + random()));
}
