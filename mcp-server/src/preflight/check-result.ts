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
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];
export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  /** One or two sentences; for `skipped`, the reason. Never holds a secret value. */
  detail: string;
  fix_hint: string | null;
  duration_ms: number;
  /** Machine-readable findings a later step needs (e.g. the GPU prices for the cost estimate). */
  data?: Record<string, unknown>;
}

/** What every check may receive besides its own input. */
export interface CheckContext {
  /** Aborted by the runner when the check's time is up; checks pass it on to fetch and execa. */
  signal?: AbortSignal | undefined;
}

/** Starts the clock of one check and builds its results. */
export function checkClock(name: CheckName) {
  const started = Date.now();
  const make =
    (status: CheckStatus) =>
    (detail: string, fix_hint: string | null = null, data?: Record<string, unknown>): CheckResult => ({
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
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A value that reaches a subprocess as an argument must not look like a flag. */
export function notAFlag(what: string, value: string): string {
  if (value.startsWith('-')) throw new TypeError(`${what} must not start with '-': ${JSON.stringify(value)}`);
  return value;
}
