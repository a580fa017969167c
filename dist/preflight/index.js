// Pre-flight checks before a launch: one check per file, run together by runPreflight.
export { CHECK_NAMES } from './check-result.js';
export { PreflightInputSchema } from './preflight-input.js';
export { runPreflight } from './run-preflight.js';
