import { SkyError } from '../sky/sky-errors.js';
import { checkClock, errorMessage } from './check-result.js';
const CLOUD_LINE = /^\s+([A-Za-z][\w .()-]*?):\s+(enabled|disabled)\b/;
const REASON_LINE = /^\s+(?:Reason|Hint)\s*(?:\[[^\]]*\])?:\s*(.*)$/;
const ALIASES = { k8s: 'kubernetes', gke: 'kubernetes', lambdalabs: 'lambda', lambdacloud: 'lambda' };
const cloudKey = (s) => {
    const k = s.toLowerCase().replace(/[^a-z0-9]/g, '');
    return ALIASES[k] ?? k;
};
/** The per-cloud lines of `sky check` text (ANSI already stripped by the adapter). */
export function parseSkyCheck(text) {
    const out = [];
    let current = null;
    const close = () => {
        if (current && !current.status.enabled && current.lines.length > 0)
            current.status.reason = current.lines.join(' ');
        current = null;
    };
    for (const line of text.split('\n')) {
        const m = CLOUD_LINE.exec(line);
        if (m) {
            close();
            const status = { cloud: m[1], enabled: m[2] === 'enabled', reason: null };
            out.push(status);
            current = { status, lines: [] };
            continue;
        }
        if (current === null)
            continue;
        if (line.trim() === '' || !/^\s/.test(line)) {
            close();
            continue;
        }
        const reason = REASON_LINE.exec(line);
        const text = (reason ? reason[1] : line).trim();
        if (text !== '' && text !== '...')
            current.lines.push(text);
    }
    close();
    return out;
}
export async function checkCloudCredentials(input, deps) {
    const clock = checkClock('cloud_credentials');
    const command = input.cloud === undefined ? 'sky check' : `sky check ${input.cloud}`;
    let text;
    try {
        text = await deps.sky.check(input.cloud);
    }
    catch (e) {
        const hint = e instanceof SkyError && e.kind === 'not_installed'
            ? "install SkyPilot (pip install 'skypilot[<cloud>]') or set SKYLOOP_SKY_BIN"
            : `run \`${command}\` yourself to see the whole error (is the SkyPilot API server up?)`;
        return clock.fail(`\`${command}\` failed: ${errorMessage(e)}`, hint);
    }
    const clouds = parseSkyCheck(text);
    if (input.cloud === undefined) {
        const enabled = clouds.filter((c) => c.enabled).map((c) => c.cloud);
        if (enabled.length > 0)
            return clock.pass(`\`sky check\`: enabled infra: ${enabled.join(', ')}`, null, { enabled });
        return clock.fail('`sky check` reports no enabled infra', 'set up credentials for a cloud, then rerun `sky check`', { enabled });
    }
    const wanted = cloudKey(input.cloud);
    const line = clouds.find((c) => cloudKey(c.cloud) === wanted);
    if (line === undefined) {
        return clock.fail(`\`${command}\` printed no line for ${input.cloud}`, `check the cloud name (SkyPilot names: aws, gcp, azure, kubernetes, lambda, runpod, …) and run \`${command}\``);
    }
    if (line.enabled)
        return clock.pass(`${line.cloud} is enabled (\`${command}\`)`, null, { cloud: line.cloud });
    return clock.fail(`${line.cloud} is disabled (\`${command}\`)${line.reason ? `: ${line.reason}` : ''}`, `${line.reason ? `${line.reason}; then ` : 'set up its credentials, then '}rerun \`${command}\``, { cloud: line.cloud });
}
