import { parseArgs } from 'node:util';
import { CHECK_NAMES, runPreflight } from '../../preflight/index.js';
import { cliJson, UsageError } from '../cli-error.js';
export const preflightHelp = `Usage: skyloop preflight <task.yaml> [--cloud C] [--gpu G] [--image docker:…] [--tracking-url URL]
         [--dvc-remote R] [--dvc-dir D] [--require-env A,B] [--min-free-disk-gb N] [--override CHECK]… [--json]

Everything checked before money is spent, in parallel, each with a time limit: ${CHECK_NAMES.join(', ')}.
Each check passes, fails (with a fix hint) or is skipped with its reason. Exit 0 when nothing blocks;
--override CHECK lets a failing check through (it is reported as overridden).
`;
export const PREFLIGHT_OPTIONS = {
    cloud: { type: 'string' },
    gpu: { type: 'string' },
    image: { type: 'string' },
    'tracking-url': { type: 'string' },
    'dvc-remote': { type: 'string' },
    'dvc-dir': { type: 'string' },
    'require-env': { type: 'string' },
    'min-free-disk-gb': { type: 'string' },
    override: { type: 'string', multiple: true },
};
export function preflightInput(task, v) {
    const overrides = v.override ?? [];
    for (const o of overrides)
        if (!CHECK_NAMES.includes(o))
            throw new UsageError(`--override takes one of ${CHECK_NAMES.join(', ')}; got '${o}'`);
    const disk = v['min-free-disk-gb'] === undefined ? undefined : Number(v['min-free-disk-gb']);
    if (disk !== undefined && !(disk >= 0))
        throw new UsageError('--min-free-disk-gb takes a number of GB');
    return {
        task_yaml: task,
        cloud: v.cloud,
        gpu: v.gpu,
        image: v.image,
        tracking_url: v['tracking-url'],
        dvc_remote: v['dvc-remote'],
        dvc_dir: v['dvc-dir'],
        required_env: v['require-env']?.split(',').map((s) => s.trim()).filter(Boolean),
        min_free_disk_gb: disk,
        overrides: overrides,
    };
}
export function renderPreflight(r) {
    const mark = { pass: '✓', fail: '✗', skipped: '-' };
    const lines = r.checks.map((c) => {
        const over = r.overridden.includes(c.name) ? ' (overridden)' : '';
        return `${mark[c.status]} ${c.name.padEnd(18)} ${c.detail}${over}${c.status === 'fail' && c.fix_hint ? `\n    fix: ${c.fix_hint}` : ''}`;
    });
    lines.push(r.ok ? 'pre-flight: ok' : `pre-flight: blocked by ${r.blocking.join(', ')}`);
    return lines.join('\n') + '\n';
}
export async function preflightCommand(argv, out) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...PREFLIGHT_OPTIONS, json: { type: 'boolean' } } });
    if (positionals.length !== 1)
        throw new UsageError('expected one task YAML');
    const result = await runPreflight(preflightInput(positionals[0], values));
    out.write(values.json ? cliJson(result) : renderPreflight(result));
    return result.ok ? 0 : 1;
}
