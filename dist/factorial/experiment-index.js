// Where each experiment lives: launch records its outputs dir in a small per-user index, so the manifest is
// found from any working directory (`cd elsewhere && skyloop factorial status x`), a re-launch from
// elsewhere reuses it instead of starting a second manifest, and `skyloop experiments` lists them all.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { withFileLock } from '../store/file-lock.js';
import { ExperimentStore } from '../store/experiment-store.js';
export const indexPath = (env = process.env) => join(env.SKYLOOP_HOME || join(homedir(), '.skyloop'), 'experiments.json');
export function readIndex(env = process.env) {
    try {
        return JSON.parse(readFileSync(indexPath(env), 'utf8'));
    }
    catch {
        return {};
    }
}
export async function recordInIndex(experimentId, entry, env = process.env) {
    const file = indexPath(env);
    mkdirSync(join(file, '..'), { recursive: true });
    await withFileLock(file, async () => {
        const index = readIndex(env);
        index[experimentId] = { ...entry, outputs_dir: resolve(entry.outputs_dir) };
        await writeFileAtomic(file, JSON.stringify(index, null, 2) + '\n');
    });
}
/**
 * The outputs dir of an experiment: SKYLOOP_OUTPUTS_DIR when set; else the default dir if the manifest is
 * there; else the one its launch recorded; else the default (whose error then names it).
 */
export function locateOutputsDir(experimentId, defaultDir, env = process.env) {
    if (env.SKYLOOP_OUTPUTS_DIR)
        return env.SKYLOOP_OUTPUTS_DIR;
    if (new ExperimentStore(defaultDir, experimentId).exists())
        return defaultDir;
    const recorded = readIndex(env)[experimentId];
    if (recorded && existsSync(new ExperimentStore(recorded.outputs_dir, experimentId).manifestPath))
        return recorded.outputs_dir;
    return defaultDir;
}
/** The context of one experiment's command: its outputs dir is the experiment's, not the caller's working directory. */
export function forExperiment(ctx, experimentId, env = process.env) {
    return { ...ctx, outputsDir: locateOutputsDir(experimentId, ctx.outputsDir, env) };
}
