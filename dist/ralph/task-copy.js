// The loop never edits the user's task: each attempt runs a copy with its overrides applied.
// (Reading the task is factorial/task-file.ts's job.)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDocument } from 'yaml';
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
