// A real CNCF distribution registry (Debian's `docker-registry`) on 127.0.0.1 for one test file:
// filesystem storage in a temp dir, optional htpasswd auth, stopped after the suite.

import { execa, type ResultPromise } from 'execa';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { tempDir } from './paths.js';

export const DOCKER_REGISTRY_BIN = 'docker-registry';
export const INSTALL_HINT = 'install with: apt-get update && apt-get install -y docker-registry';

export function hasDockerRegistry(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, DOCKER_REGISTRY_BIN), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * bcrypt (cost 5) of `test-password`, as `htpasswd -nbB -C 5` writes it, fixed so the tests need neither apache2-utils nor a bcrypt
 * package: the registry only verifies the hash, it never has to be made here.
 */
export const HTPASSWD = { user: 'skyloop', password: 'test-password', line: 'skyloop:$2b$05$pN/1rjmr299.LRyavso/leA4dGBv3qSgXtfV1KikVtetFYHVSuKwG' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningRegistry {
  /** `127.0.0.1:<port>`, the registry part of image references. */
  host: string;
  baseUrl: string;
  /** `Authorization` value for pushes to an htpasswd registry. */
  authorization: string | undefined;
  stop(): Promise<void>;
}

export async function startOciRegistry(options: { htpasswd?: boolean } = {}): Promise<RunningRegistry> {
  const dir = tempDir('registry');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: ${host}`,
    '  secret: skyloop-test-secret',
  ];
  if (options.htpasswd) {
    writeFileSync(join(dir, 'htpasswd'), `${HTPASSWD.line}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: skyloop-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, `${lines.join('\n')}\n`);

  // REGISTRY_* variables would override the file; the child gets none of them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
  const child: ResultPromise = execa(DOCKER_REGISTRY_BIN, ['serve', configPath], { env, extendEnv: false, reject: false, stdin: 'ignore', all: true });
  const baseUrl = `http://${host}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      const { all } = await child;
      throw new Error(`docker-registry exited early:\n${String(all)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/v2/`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200 || res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`docker-registry did not answer on ${baseUrl}/v2/ within 15 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host,
    baseUrl,
    authorization: options.htpasswd ? `Basic ${Buffer.from(`${HTPASSWD.user}:${HTPASSWD.password}`).toString('base64')}` : undefined,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}
