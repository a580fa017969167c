// The loop never edits the user's task: each attempt runs a copy with its overrides applied.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDocument } from 'yaml';
export function readTaskBasics(file) {
    const doc = parseDocument(readFileSync(file, 'utf8')).toJS();
    const res = (doc?.resources ?? {});
    const infra = typeof res.infra === 'string' ? res.infra : typeof res.cloud === 'string' ? [res.cloud, res.region].filter(Boolean).join('/') : null;
    const envs = (doc?.envs ?? {});
    return {
        name: typeof doc?.name === 'string' ? doc.name : null,
        infra: infra?.toLowerCase() ?? null,
        gpus: typeof res.accelerators === 'string' ? res.accelerators : null,
        use_spot: res.use_spot === true,
        disk_size: typeof res.disk_size === 'number' ? res.disk_size : null,
        num_nodes: typeof doc?.num_nodes === 'number' ? doc.num_nodes : 1,
        env: Object.fromEntries(Object.entries(envs).map(([k, v]) => [k, v == null ? '' : String(v)])),
    };
}
/** Write `original` with `overrides` applied to `target`; comments and layout of the original survive. */
export function writeTaskCopy(original, overrides, target) {
    const doc = parseDocument(readFileSync(original, 'utf8'));
    if (overrides.infra !== null) {
        doc.deleteIn(['resources', 'cloud']);
        doc.deleteIn(['resources', 'region']);
        doc.deleteIn(['resources', 'zone']);
        doc.setIn(['resources', 'infra'], overrides.infra);
    }
    if (overrides.gpus !== null)
        doc.setIn(['resources', 'accelerators'], overrides.gpus);
    if (overrides.use_spot !== null)
        doc.setIn(['resources', 'use_spot'], overrides.use_spot);
    if (overrides.disk_size !== null)
        doc.setIn(['resources', 'disk_size'], overrides.disk_size);
    for (const [k, v] of Object.entries(overrides.env))
        doc.setIn(['envs', k], v);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `# Written by skyloop ralph-loop from ${original}; the original is unchanged.\n${doc.toString()}`);
}
export const noOverrides = () => ({ infra: null, gpus: null, use_spot: null, disk_size: null, env: {} });
