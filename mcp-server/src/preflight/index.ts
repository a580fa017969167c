// Pre-flight checks before a launch: one check per file, run together by runPreflight.
export { CHECK_NAMES, type CheckName, type CheckResult, type CheckStatus } from './check-result.js';
export { PreflightInputSchema, type PreflightInput } from './preflight-input.js';
export { runPreflight, type PreflightDeps, type PreflightResult } from './run-preflight.js';
