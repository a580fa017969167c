// Pre-flight: are the environment variables the job needs set? Reports names only: a value is never
// read into any message, so a secret cannot leak into a transcript or a log.
import { checkClock } from './check-result.js';
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export async function checkEnvVars(input, deps) {
    const clock = checkClock('env_vars');
    const names = [...new Set(input.required_env ?? [])];
    if (names.length === 0)
        return clock.skipped('no required_env names given');
    const invalid = names.filter((n) => !NAME.test(n));
    if (invalid.length > 0) {
        return clock.fail(`not environment variable names: ${invalid.map((n) => JSON.stringify(n)).join(', ')}`, 'fix required_env in the config');
    }
    const missing = names.filter((n) => (deps.env[n] ?? '') === '');
    if (missing.length === 0)
        return clock.pass(`all ${names.length} set: ${names.join(', ')}`, null, { set: names, missing: [] });
    return clock.fail(`${missing.length} of ${names.length} not set or empty: ${missing.join(', ')}`, `set ${missing.join(', ')} (e.g. in .env, then load it) before launching`, { set: names.filter((n) => !missing.includes(n)), missing });
}
