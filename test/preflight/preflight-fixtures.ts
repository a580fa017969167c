// Real local things for the pre-flight tests: an HTTP server on 127.0.0.1, executables written to a
// temp dir and put first on PATH, task YAML files, and the simulator as the `sky` executable.
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { delimiter, join } from 'node:path';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { SKY_SIM, tempDir } from '../helpers/paths.js';

export interface LocalServer {
  url: string;
  /** Every request seen: method, path and Authorization header. */
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Requests whose connection closed before a response was sent (the client gave up). */
  abandoned: number;
  close(): Promise<void>;
}

/** A node:http server on a free loopback port; `handler` returning without ending the response leaves the client hanging. */
export async function startHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const state = { abandoned: 0 };
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    res.on('close', () => {
      if (!res.writableEnded) state.abandoned++;
    });
    handler(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get abandoned() {
      return state.abandoned;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** MLflow's `/health` answers `OK`; with `token`, only to `Authorization: Bearer <token>`. */
export function mlflowHandler(options: { token?: string; delayMs?: number } = {}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const answer = () => {
      if (req.url !== '/health') return res.writeHead(404).end('not found');
      if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
        return res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('unauthorized');
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    };
    if (options.delayMs) setTimeout(answer, options.delayMs);
    else answer();
  };
}

/** A directory holding executables (shell scripts), to put first on PATH. */
export function binDir(scripts: Record<string, string>): string {
  const dir = tempDir('preflight-bin');
  for (const [name, body] of Object.entries(scripts)) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

/** The environment with `dirs` first on PATH. */
export const withPath = (env: NodeJS.ProcessEnv, ...dirs: string[]): NodeJS.ProcessEnv => ({
  ...env,
  PATH: [...dirs, env.PATH ?? ''].join(delimiter),
});

export function writeTask(yaml: string): string {
  const file = join(tempDir('preflight-task'), 'task.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** The simulator as SkyPilot: its own state dir, and only `clouds` enabled in `sky check`. */
export function simSky(clouds = 'aws,gcp,lambda,runpod') {
  const env = { SKYLOOP_SIM_HOME: tempDir('preflight-sim'), SKYLOOP_SIM_SPEED: '0', SKYLOOP_SIM_CLOUDS: clouds };
  return {
    env,
    sky: new SkyCli({ bin: SKY_SIM, env, retries: 0, onWarning: () => {} }),
    /** A full environment for `defaultRunSky` (which runs `$SKYLOOP_SKY_BIN`). */
    processEnv: { ...process.env, ...env, SKYLOOP_SKY_BIN: SKY_SIM } as NodeJS.ProcessEnv,
  };
}
