// The MCP trust boundary for paths. The caller is an agent that reads untrusted log text, so a path it
// passes is checked here before anything opens it: it must name an existing regular file (no device, no
// /proc entry, no directory) whose real location (symlinks resolved) lies under the project directory
// or the outputs directory.
import { realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
export class PathRefused extends Error {
    name = 'PathRefused';
}
/** The server's project: `$SKYLOOP_PROJECT_DIR`, else the directory it was started in (project-dir.ts adds the client's). */
export const projectDir = () => resolve(process.env.SKYLOOP_PROJECT_DIR ?? process.cwd());
/** The real path of `path` if the rule allows it; otherwise a refusal saying why. */
export function trustedFile(path, rule) {
    const refuse = (why) => {
        throw new PathRefused(`${rule.what} ${JSON.stringify(path)} refused: ${why}`);
    };
    let real;
    try {
        real = realpathSync(resolve(projectDir(), path));
    }
    catch {
        return refuse('no such file');
    }
    const roots = rule.roots.flatMap((r) => {
        try {
            return [realpathSync(r)];
        }
        catch {
            return [];
        }
    });
    if (!roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))) {
        refuse(`only files under ${rule.roots.map((r) => resolve(r)).join(' or ')} are allowed over MCP`);
    }
    const stat = statSync(real);
    if (!stat.isFile())
        refuse('not a regular file');
    if (rule.extensions && !rule.extensions.includes(extname(real).toLowerCase()))
        refuse(`not a ${rule.extensions.join(' or ')} file`);
    if (rule.maxBytes !== undefined && stat.size > rule.maxBytes)
        refuse(`${stat.size} bytes, more than the ${rule.maxBytes}-byte limit`);
    return real;
}
export const YAML_EXTENSIONS = ['.yaml', '.yml'];
