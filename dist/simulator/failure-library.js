// Real failure output per category, kept as data in `failure-logs/` (index.yaml + <ID>.log) next to
// this module's source. Looked up at run time; SKYLOOP_SIM_FAILURE_LOGS points elsewhere (tests).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { packageRoot } from '../util/package-root.js';
import { SimConfigError } from './errors.js';
function libraryDir() {
    const fromEnv = process.env.SKYLOOP_SIM_FAILURE_LOGS;
    if (fromEnv)
        return fromEnv;
    const dir = join(packageRoot(), 'mcp-server', 'src', 'simulator', 'failure-logs');
    return existsSync(join(dir, 'index.yaml')) ? dir : undefined;
}
let cache;
function loadIndex() {
    if (cache)
        return cache;
    cache = new Map();
    const dir = libraryDir();
    if (!dir)
        return cache;
    let raw;
    try {
        // Loaded on demand: most invocations (queue polling) never need it.
        const { parse } = createRequire(import.meta.url)('yaml');
        raw = parse(readFileSync(join(dir, 'index.yaml'), 'utf8'));
    }
    catch (e) {
        throw new SimConfigError(`cannot read failure-log index ${join(dir, 'index.yaml')}: ${e.message}`);
    }
    const root = (raw && typeof raw === 'object' && 'categories' in raw ? raw.categories : raw);
    for (const [id, e] of Object.entries(root ?? {})) {
        if (!e || typeof e !== 'object')
            continue;
        const phase = e.phase === 'setup' || e.phase === 'provision' ? e.phase : 'run';
        const defaultStatus = phase === 'setup' ? 'FAILED_SETUP' : phase === 'provision' ? 'FAILED_PRECHECKS' : 'FAILED';
        cache.set(id, {
            id,
            file: join(dir, typeof e.file === 'string' ? e.file : `${id}.log`),
            phase,
            status: typeof e.status === 'string' ? e.status : defaultStatus,
            exitCode: typeof e.exit_code === 'number' ? e.exit_code : 1,
            keyLines: Array.isArray(e.key_lines) ? e.key_lines.map(String) : [],
        });
    }
    return cache;
}
export function getCategory(id) {
    return loadIndex().get(id);
}
export function categoryIds() {
    return [...loadIndex().keys()];
}
const linesCache = new Map();
/** The category's raw program output, one entry per line (no trailing empty line). */
export function categoryLines(id) {
    const hit = linesCache.get(id);
    if (hit)
        return hit;
    const cat = getCategory(id);
    let lines = [];
    if (cat) {
        try {
            lines = readFileSync(cat.file, 'utf8').replace(/\r\n/g, '\n').split('\n');
            while (lines.length > 0 && lines[lines.length - 1] === '')
                lines.pop();
        }
        catch {
            lines = [];
        }
    }
    linesCache.set(id, lines);
    return lines;
}
