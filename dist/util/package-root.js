// Files shipped with skyloop (package.json, instructions/, the simulator's data) are found from the
// package root, which works the same from the sources (mcp-server/src/…) and from the build (dist/…).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
let root;
export function packageRoot() {
    if (root)
        return root;
    for (let dir = dirname(fileURLToPath(import.meta.url));; dir = dirname(dir)) {
        const pkg = join(dir, 'package.json');
        if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'skyloop')
            return (root = dir);
        if (dirname(dir) === dir)
            throw new Error('cannot find the skyloop package root');
    }
}
export const packageVersion = () => JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
