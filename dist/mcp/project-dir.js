// A relative path in a tool argument means the client's project, not wherever the server was started:
// the first file:// root the client offers (MCP roots), else CLAUDE_PROJECT_DIR, else the working directory.
// That project is also one the trust boundary allows files from (the client, not the model, names it).
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectDir as serverProjectDir, trustedFile } from './trusted-paths.js';
export async function projectDir(server) {
    if (server.server.getClientCapabilities()?.roots) {
        try {
            const { roots } = await server.server.listRoots();
            const root = roots.find((r) => r.uri.startsWith('file://'));
            if (root)
                return { dir: fileURLToPath(root.uri), from: "the client's MCP root" };
        }
        catch {
            // A client that announces roots but cannot list them: fall through to the environment.
        }
    }
    const env = process.env.CLAUDE_PROJECT_DIR;
    if (env)
        return { dir: env, from: 'CLAUDE_PROJECT_DIR' };
    return { dir: process.cwd(), from: "the server's working directory" };
}
/** An existing file named by a tool argument; the error says which directory a relative path was resolved against. */
function existingFile(path, { dir, from }, what) {
    if (isAbsolute(path)) {
        if (!existsSync(path))
            throw new Error(`${what} ${path} does not exist`);
        return path;
    }
    const absolute = resolve(dir, path);
    if (!existsSync(absolute))
        throw new Error(`${what} ${path} does not exist in ${dir} (relative paths resolve against ${from})`);
    return absolute;
}
/**
 * A file named by a tool argument, at the trust boundary: an existing file, and allowed only
 * under the client's project, the server's (SKYLOOP_PROJECT_DIR, else its working directory) or `roots`.
 */
export async function projectFile(server, path, rule) {
    const project = await projectDir(server);
    return trustedFile(existingFile(path, project, rule.what), { ...rule, roots: [project.dir, serverProjectDir(), ...(rule.roots ?? [])] });
}
