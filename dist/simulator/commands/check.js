// `sky check [INFRA...] [-o json]` (sky/check.py). Enabled clouds: SKYLOOP_SIM_CLOUDS
// (comma-separated, default aws,gcp,lambda,runpod).
import { DIM, FORE, RESET } from '../ansi.js';
import { parseCommand } from '../args.js';
import { canonicalCloud } from '../catalog.js';
import { ClickUsageError } from '../errors.js';
import { stdout } from '../output.js';
const CLOUDS = [
    { name: 'AWS', caps: ['compute', 'storage'], reason: 'AWS credentials are not set. Run the following commands:\n      $ aws configure' },
    { name: 'Azure', caps: ['compute', 'storage'], reason: '~/.azure/msal_token_cache.json does not exist. Run the following commands:\n      $ az login' },
    { name: 'GCP', caps: ['compute', 'storage'], reason: 'GCP tools are not installed. Run the following commands:\n      $ gcloud init' },
    { name: 'Kubernetes', caps: ['compute'], reason: 'Kubernetes credentials not found: ~/.kube/config does not exist.' },
    { name: 'Lambda', caps: ['compute'], reason: 'Failed to access Lambda Cloud with credentials. To configure credentials, go to: https://cloud.lambdalabs.com/api-keys' },
    { name: 'RunPod', caps: ['compute'], reason: 'Failed to access RunPod Cloud with credentials. To configure credentials, go to: https://docs.runpod.io/get-started/api-keys' },
];
function enabledSet() {
    const raw = process.env.SKYLOOP_SIM_CLOUDS ?? 'aws,gcp,lambda,runpod';
    return new Set(raw.split(',').map((c) => canonicalCloud(c.trim())).filter(Boolean));
}
export async function check(argv, p) {
    const options = [
        { names: ['--verbose', '-v'], dest: 'verbose', kind: 'flag' },
        { names: ['--workspace'], dest: 'workspace', kind: 'string' },
    ];
    if (p.has.checkJson)
        options.push({ names: ['--output', '-o'], dest: 'output', kind: 'string' });
    const cs = { path: 'sky check', options, args: [{ name: 'INFRA_LIST', kind: 'string', nargs: -1, required: false }] };
    const { opts, args } = parseCommand(cs, argv);
    const output = opts.output ?? 'table';
    if (output !== 'table' && output !== 'json') {
        throw new ClickUsageError('Usage: sky check [OPTIONS] [INFRA_LIST]...', cs.path, `Invalid value for '--output' / '-o': '${output}' is not one of 'table', 'json'.`);
    }
    const wanted = (args.INFRA_LIST ?? []).map((c) => canonicalCloud(c));
    const enabled = enabledSet();
    const clouds = CLOUDS.filter((c) => wanted.length === 0 || wanted.some((w) => w.toLowerCase() === c.name.toLowerCase()));
    const on = clouds.filter((c) => enabled.has(c.name));
    if (output === 'json') {
        const ws = {};
        for (const c of on)
            ws[c.name] = c.caps;
        await stdout.line(JSON.stringify({ default: ws }, null, 2));
        return 0;
    }
    const lines = ['Checking credentials to enable infra for SkyPilot.'];
    for (const c of clouds) {
        if (enabled.has(c.name))
            lines.push(`${FORE.green}  ${c.name}: enabled [${c.caps.join(', ')}]${RESET}`);
        else {
            lines.push(`${DIM}  ${c.name}: disabled ${RESET}`);
            lines.push(`    Reason [${c.caps.join(', ')}]: ${c.reason}`);
        }
    }
    const summary = on.length
        ? `\n  ${on.map((c) => `${FORE.green}${c.name} [${c.caps.join(', ')}]${RESET}`).join('\n  ')}`
        : '\n  No infra to check/enabled.';
    lines.push(`\n${FORE.green}🎉 Enabled infra 🎉${RESET}${summary}`);
    lines.push(`${DIM}\nTo enable a cloud, follow the hints above and rerun: ${RESET}\x1b[1msky check${RESET}\n${DIM}If any problems remain, refer to detailed docs at: https://docs.skypilot.co/en/latest/getting-started/installation.html${RESET}`);
    lines.push('');
    lines.push('Using SkyPilot API server: http://127.0.0.1:46580');
    for (const l of lines)
        await stdout.line(l);
    return 0;
}
