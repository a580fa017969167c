import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/python-venv.sh keeps its environments (outside the repository, shared by CI runs). */
export const VENV_ROOT = process.env.SKYLOOP_VENV_DIR ?? join(homedir(), '.cache', 'skyloop', 'venvs');

export interface PythonVenv {
  readonly dir: string;
  readonly python: string;
  /** An executable the environment installed, e.g. `sky` or `mlflow`. */
  bin(name: string): string;
}

/**
 * A ready environment made by `scripts/python-venv.sh NAME ...`, or undefined when it has not been
 * installed here (the caller skips its tests and prints `installCommand`).
 */
export function pythonVenv(name: string): PythonVenv | undefined {
  const dir = join(VENV_ROOT, name);
  const marker = join(dir, '.skyloop-ready');
  if (!existsSync(marker) || readFileSync(marker, 'utf8').length === 0) return undefined;
  const python = join(dir, 'bin', 'python');
  if (!existsSync(python)) return undefined;
  return { dir, python, bin: (exe) => join(dir, 'bin', exe) };
}
