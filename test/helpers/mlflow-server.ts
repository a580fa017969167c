import { execa, type ResultPromise } from 'execa';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './paths.js';
import { pythonVenv, type PythonVenv } from './python-venv.js';

/** The real MLflow tracking server the results tests run against (scripts/install-mlflow.sh installs it). */
export const MLFLOW_VENV = pythonVenv('mlflow');
export const MLFLOW_INSTALL = 'scripts/install-mlflow.sh';
export const MLFLOW_SKIP = `MLflow is not installed for the tests: run ${MLFLOW_INSTALL}`;

export interface MlflowServer {
  uri: string;
  venv: PythonVenv;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * `mlflow server` on 127.0.0.1 with a sqlite backend and a local artifact root in a temporary directory,
 * ready once /health answers. Its start-up (database migrations) takes tens of seconds on a busy machine.
 */
export async function startMlflowServer(venv: PythonVenv, { readyWithinMs = 240_000 } = {}): Promise<MlflowServer> {
  const dir = tempDir('mlflow');
  const port = await freePort();
  const child: ResultPromise = execa(
    venv.bin('mlflow'),
    ['server', '--host', '127.0.0.1', '--port', String(port), '--workers', '1',
      '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`, '--default-artifact-root', join(dir, 'artifacts')],
    { reject: false, stdin: 'ignore', buffer: false, stdout: ['pipe'], stderr: ['pipe'], env: { MLFLOW_TRACKING_URI: '' }, detached: true },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + String(d)).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + String(d)).slice(-4000)));
  // `mlflow server` runs uvicorn as a child process: signals go to the whole process group.
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', () => signal('SIGKILL'));
  let exited = false;
  void child.then(() => (exited = true));
  const uri = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (exited) throw new Error(`mlflow server exited before it was ready:\n${output}`);
    try {
      const res = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      signal('SIGKILL');
      throw new Error(`mlflow server did not answer /health within ${readyWithinMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    uri,
    venv,
    stop: async () => {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 10_000);
      await child;
      clearTimeout(timer);
    },
  };
}
