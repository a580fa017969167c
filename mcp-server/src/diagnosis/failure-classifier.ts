// The seam between monitoring and diagnosis: the monitor hands a failed job's log to a classifier and
// stores the Failure it returns. The interim classifier below keys on the last error-looking line; the
// failure-pattern engine replaces it.
import type { Failure } from '../factorial/manifest.js';
import { fingerprintOf, stripRayPrefix } from './fingerprint.js';

export interface FailedJobEvidence {
  status: string;
  failure_reason: string | null;
  /** The last lines of the job log (or of the controller log when the job never ran). */
  log_tail: string[];
}

export type FailureClassifier = (evidence: FailedJobEvidence) => Failure;

const ERROR_LIKE = /\b(?:[A-Z]\w*(?:Error|Exception)|error|ERROR|FATAL|Killed)\b/;
// SkyPilot's own epilogue repeats the exit code for every failure; it says nothing about the cause.
const SKYPILOT_EPILOGUE = /^ERROR: Job \d+(?:'s setup)? failed/;
const STATUS_CATEGORY: Record<string, string> = { FAILED_SETUP: 'SETUP_FAILURE', FAILED_CONTROLLER: 'CONTROLLER_FAILURE' };

export const lastErrorLineClassifier: FailureClassifier = ({ status, failure_reason, log_tail }) => {
  let line: string | null = null;
  for (let i = log_tail.length - 1; i >= 0 && line === null; i--) {
    const text = stripRayPrefix(log_tail[i] as string).trim();
    if (ERROR_LIKE.test(text) && !SKYPILOT_EPILOGUE.test(text)) line = text;
  }
  line ??= failure_reason;
  const category = STATUS_CATEGORY[status] ?? 'UNKNOWN';
  return { category, fingerprint: fingerprintOf(category, line), line };
};
