// What an MCP caller may touch: the caller is an agent reading untrusted log text, so every tool argument
// is checked at the boundary — experiment ids and derived paths stay inside outputs/, files read or
// launched stay inside the project, credentials go only over https or to loopback, and a redirect never
// carries a request (or a digest) somewhere else.
import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { MCP_CALL_LIMIT_MS, SKY_SIM, SKYLOOP, SKYLOOP_MCP, tempDir } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';

async function mcp(env: Record<string, string>, cwd: string) {
  const client = new Client({ name: 'trust-boundary', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env, cwd, stderr: 'pipe' }));
  return {
    call: (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS }),
    close: () => client.close(),
  };
}
const text = (r: unknown) => JSON.stringify((r as { content?: unknown }).content);

describe('the MCP trust boundary', () => {
  it('experiment ids are checked at every entry: a ../ id runs nothing and rewrites nothing outside outputs/', async () => {
    const w = factorialWorld();
    const outputs = w.env.SKYLOOP_OUTPUTS_DIR!;
    mkdirSync(outputs, { recursive: true });
    // A planted experiment outside outputs/, whose config would run a command on rebuild.
    const victim = resolve(outputs, '..', '..');
    const pwned = join(w.dir, 'pwned');
    writeFileSync(join(w.dir, 'evil.yaml'), readFileSync(w.config, 'utf8') + `image: docker:127.0.0.1:1/x:v1\ncommands: {build: "touch ${pwned}", push: "true"}\n`);
    const launch = await execa(SKYLOOP, ['factorial', 'launch', join(w.dir, 'evil.yaml'), '--approve'], { env: { ...w.env, SKYLOOP_OUTPUTS_DIR: join(w.dir, 'elsewhere') }, reject: false });
    expect(launch.exitCode).toBe(0);
    const planted = join(victim, 'victim.json');
    writeFileSync(planted, readFileSync(join(w.dir, 'elsewhere', 'factorial_manifest_seg.json')));
    const before = readFileSync(planted, 'utf8');
    const id = '../../victim';
    expect(resolve(outputs, `factorial_manifest_${id}.json`)).not.toBe(planted); // lexical join differs…
    const c = await mcp(w.env, w.dir);
    try {
      for (const [tool, args] of [
        ['rebuild_and_verify_digest', { experiment: id }],
        ['queue_status', { experiment: id }],
        ['wait_for_change', { experiment: id, timeout_s: 1 }],
        ['aggregate_failures', { experiment: id }],
        ['relaunch_failed', { experiment: id }],
        ['generate_report', { experiment: id }],
        ['rebuild_and_verify_digest', { experiment: '../../../../victim' }],
      ] as const) {
        const r = await c.call(tool, args);
        expect(r.isError, tool).toBe(true);
        expect(text(r), tool).toMatch(/invalid experiment id/);
      }
      const resource = await c.call('queue_status', { experiment: 'seg/../../x' });
      expect(text(resource)).toMatch(/invalid experiment id/);
    } finally {
      await c.close();
    }
    expect(existsSync(pwned)).toBe(false);
    expect(readFileSync(planted, 'utf8')).toBe(before);
    const cli = await execa(SKYLOOP, ['factorial', 'rebuild', '../../../../victim'], { env: w.env, reject: false });
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toMatch(/^skyloop: invalid experiment id "\.\.\/\.\.\/\.\.\/\.\.\/victim"/);
    expect(existsSync(pwned)).toBe(false);
  });

  it('ralph_step refuses a task whose name: would write outside outputs/', async () => {
    const w = factorialWorld();
    writeFileSync(join(w.dir, 'escape.yaml'), 'name: ../../escaped\nresources: {accelerators: A100:1}\nrun: echo hi\n');
    const c = await mcp(w.env, w.dir);
    try {
      const r = await c.call('ralph_step', { task_yaml: join(w.dir, 'escape.yaml'), hourly_rate_usd: 1, budget_usd: 10, preflight: { overrides: ['cloud_credentials', 'gpu_availability', 'disk_space', 'tracking_server', 'image_in_registry', 'data_pushed', 'env_vars'] } });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/invalid run name \\"\.\.\/\.\.\/escaped\\"/);
    } finally {
      await c.close();
    }
    expect(existsSync(resolve(w.env.SKYLOOP_OUTPUTS_DIR!, 'ralph', '../../escaped'))).toBe(false);
    expect(existsSync(resolve(w.dir, 'escaped'))).toBe(false);
  });

  it('analyze_logs reads only regular files under the project or outputs/, within the size limit; launch_job only a YAML file in the project', async () => {
    const w = factorialWorld();
    const outputs = w.env.SKYLOOP_OUTPUTS_DIR!;
    mkdirSync(outputs, { recursive: true });
    writeFileSync(join(outputs, 'train.log'), 'step 1\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n');
    symlinkSync('/etc/passwd', join(w.dir, 'innocent.log'));
    const huge = join(w.dir, 'huge.log');
    writeFileSync(huge, '');
    truncateSync(huge, 5 * 1024 ** 3); // sparse: no disk used
    const c = await mcp(w.env, w.dir);
    try {
      const ok = await c.call('analyze_logs', { path: join(outputs, 'train.log') });
      expect(ok.isError).toBeFalsy();
      expect(ok.structuredContent).toMatchObject({ category: 'OOM_CUDA' });
      for (const [path, why] of [
        ['/proc/self/environ', /only files under/],
        ['/dev/zero', /only files under/],
        [join(w.dir, 'innocent.log'), /only files under/],
        [w.dir, /not a regular file/],
        [huge, /more than the 4294967296-byte limit/],
        [join(w.dir, 'missing.log'), /no such file|does not exist/],
      ] as const) {
        const r = await c.call('analyze_logs', { path });
        expect(r.isError, path).toBe(true);
        expect(text(r), path).toMatch(why);
      }
      for (const [task, why] of [
        ['/etc/passwd', /only files under/],
        [join(w.dir, 'experiment.yaml.bak'), /does not exist/],
        [join(outputs, 'train.log'), /not a \.yaml or \.yml file/],
      ] as const) {
        const r = await c.call('launch_job', { task_yaml: task, name: 'x' });
        expect(r.isError, task).toBe(true);
        expect(text(r), task).toMatch(why);
      }
      const launched = await c.call('launch_job', { task_yaml: 'task.yaml', name: 'one-off' });
      expect(launched.isError).toBeFalsy();
      // A config names the build commands rebuild runs: one planted outside the project is refused, and launches nothing.
      const planted = join(tempDir('planted'), 'experiment.yaml');
      copyFileSync(w.config, planted);
      copyFileSync(join(w.dir, 'task.yaml'), join(planted, '..', 'task.yaml'));
      const refused = await c.call('launch_factorial', { config_path: planted, approve: true });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/launch_factorial config_path .* refused: only files under/);
      expect(existsSync(join(outputs, 'factorial_manifest_seg.json'))).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('preflight_check sends tracking credentials only to https or loopback and never follows a redirect to another host', async () => {
    const w = factorialWorld();
    const seen: { host: string; auth: string | undefined }[] = [];
    const elsewhere = createServer((req, res) => {
      seen.push({ host: '127.0.0.2', auth: req.headers.authorization });
      res.end('OK');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.2', r));
    const other = (elsewhere.address() as AddressInfo).port;
    const redirecting = createServer((req, res) => {
      seen.push({ host: '127.0.0.1', auth: req.headers.authorization });
      res.writeHead(302, { location: `http://127.0.0.2:${other}/health` }).end();
    });
    await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
    const port = (redirecting.address() as AddressInfo).port;
    const c = await mcp({ ...w.env, MLFLOW_TRACKING_TOKEN: 'tracking-token-value-123' }, w.dir);
    try {
      const r = await c.call('preflight_check', { task_yaml: join(w.dir, 'task.yaml'), tracking_url: `http://127.0.0.1:${port}`, min_free_disk_gb: 0 });
      const check = (r.structuredContent as { checks: { name: string; status: string; detail: string }[] }).checks.find((x) => x.name === 'tracking_server')!;
      expect(check.status).toBe('fail');
      expect(check.detail).toMatch(/redirected .* to http:\/\/127\.0\.0\.2:\d+\/health, another host: not followed/);
      expect(seen).toEqual([{ host: '127.0.0.1', auth: 'Bearer tracking-token-value-123' }]);

      // Plain http to a host that is not this machine: the token is withheld (and the check says so).
      const far = await c.call('preflight_check', { task_yaml: join(w.dir, 'task.yaml'), tracking_url: 'http://10.255.255.1:9', min_free_disk_gb: 0 });
      const farCheck = (far.structuredContent as { checks: { name: string; detail: string }[] }).checks.find((x) => x.name === 'tracking_server')!;
      expect(farCheck.detail).toMatch(/MLFLOW_TRACKING_TOKEN withheld: plain http to a host that is not loopback/);
    } finally {
      await c.close();
      redirecting.close();
      elsewhere.close();
    }
  });

  it('a registry redirect to plain http off this machine is refused: no digest from there', async () => {
    const w = factorialWorld();
    const registry = createServer((req, res) => {
      res.writeHead(307, { location: `http://10.255.255.1:9${req.url}` }).end();
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
    try {
      const r = await execa(SKY_SIM, ['--version'], { env: w.env });
      expect(r.exitCode).toBe(0);
      const c = await mcp(w.env, w.dir);
      try {
        const pre = await c.call('preflight_check', { task_yaml: join(w.dir, 'task.yaml'), image: `docker:${host}/seg-train:v1`, min_free_disk_gb: 0 });
        const check = (pre.structuredContent as { checks: { name: string; status: string; detail: string }[] }).checks.find((x) => x.name === 'image_in_registry')!;
        expect(check.status).toBe('fail');
        expect(check.detail).toMatch(/redirected .* to http:\/\/10\.255\.255\.1:9, plain http off this machine: a digest from there cannot be trusted/);
      } finally {
        await c.close();
      }
    } finally {
      registry.close();
    }
  });
});
