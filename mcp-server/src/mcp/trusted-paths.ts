// The MCP trust boundary for paths. The caller is an agent that reads untrusted log text, so a path it
// passes is checked here before anything opens it: it must name an existing regular file (no device, no
// /proc entry, no directory) whose real location (symlinks resolved) lies under the project directory
// or the outputs directory.
import { realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export class PathRefused extends Error {
  override readonly name = 'PathRefused';
}

/** The server's project: `$SKYLOOP_PROJECT_DIR`, else the directory it was started in (project-dir.ts adds the client's). */
export const projectDir = (): string => resolve(process.env.SKYLOOP_PROJECT_DIR ?? process.cwd());

export interface FileRule {
  /** What the argument is, for messages, e.g. `analyze_logs path`. */
  what: string;
  roots: string[];
  /** Allowed extensions (lower case, with the dot); any when absent. */
  extensions?: string[];
  maxBytes?: number;
}

/** The real path of `path` if the rule allows it; otherwise a refusal saying why. */
export function trustedFile(path: string, rule: FileRule): string {
  const refuse = (why: string): never => {
    throw new PathRefused(`${rule.what} ${JSON.stringify(path)} refused: ${why}`);
  };
  let real: string;
  try {
    real = realpathSync(resolve(projectDir(), path));
  } catch {
    return refuse('no such file');
  }
  const roots = rule.roots.flatMap((r) => {
    try {
      return [realpathSync(r)];
    } catch {
      return [];
    }
  });
  if (!roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))) {
    refuse(`only files under ${rule.roots.map((r) => resolve(r)).join(' or ')} are allowed over MCP`);
  }
  const stat = statSync(real);
  if (!stat.isFile()) refuse('not a regular file');
  if (rule.extensions && !rule.extensions.includes(extname(real).toLowerCase())) refuse(`not a ${rule.extensions.join(' or ')} file`);
  if (rule.maxBytes !== undefined && stat.size > rule.maxBytes) refuse(`${stat.size} bytes, more than the ${rule.maxBytes}-byte limit`);
  return real;
}

export const YAML_EXTENSIONS = ['.yaml', '.yml'];
