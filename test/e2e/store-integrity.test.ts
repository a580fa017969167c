// The manifest and the event log against a full disk and damaged files, through the real CLI and MCP
// server: a failed write keeps the old manifest and appends no event; a damaged manifest is named, never
// rewritten, and no command prints a stack trace about it.
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { SKYLOOP, SKYLOOP_MCP, MCP_CALL_LIMIT_MS } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';

const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m;
const disk = mountSmallDisk(1024);
afterAll(() => {
  if (typeof disk !== 'string') disk.unmount();
});

describe.skipIf(typeof disk === 'string')(`a full disk (real tmpfs${typeof disk === 'string' ? `: skipped, ${disk}` : ''})`, () => {
  it('a poll that cannot write keeps the previous manifest byte for byte, appends no event, and names the file', async () => {
    const d = disk as SmallDisk;
    const w = factorialWorld();
    const outputs = join(d.dir, 'outputs');
    const env = { ...w.env, SKYLOOP_OUTPUTS_DIR: outputs };
    const manifestPath = join(outputs, 'factorial_manifest_seg.json');
    const eventsPath = join(outputs, 'factorial_events_seg.jsonl');
    const skyloop = (args: string[]) => execa(SKYLOOP, args, { env, reject: false, stdin: 'ignore' });
    expect((await skyloop(['factorial', 'launch', w.config, '--approve'])).exitCode).toBe(0);
    await w.advance(8 * 60); // every job changed status since the launch
    const manifestBefore = readFileSync(manifestPath);
    const eventsBefore = readFileSync(eventsPath);
    expect(manifestBefore.length).toBeGreaterThan(24 * 1024);

    for (const free of [0, 4096, 8192, 12 * 1024, 16 * 1024, 20 * 1024, 24 * 1024]) {
      d.leave(free);
      const r = await skyloop(['factorial', 'status', 'seg', '--refresh']);
      expect({ free, exit: r.exitCode }).toEqual({ free, exit: 1 });
      expect(r.stderr).toContain(`${manifestPath}: the disk is full`);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(readFileSync(manifestPath).equals(manifestBefore)).toBe(true);
      expect(readFileSync(eventsPath).equals(eventsBefore)).toBe(true);
      expect(readdirSync(outputs).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
    }

    d.release();
    const ok = await skyloop(['factorial', 'status', 'seg', '--refresh', '--json']);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).counts.RUNNING + JSON.parse(ok.stdout).counts.FAILED).toBeGreaterThan(0);
    const changes = readFileSync(eventsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'status_change');
    expect(changes.length).toBeGreaterThanOrEqual(24); // recorded once, when the manifest got them
  });
});

describe('a damaged manifest', () => {
  const DAMAGE: [string, (good: string) => string, RegExp][] = [
    ['empty', () => '', /is empty \(0 bytes\)/],
    ['truncated at 4096 bytes', (good) => good.slice(0, 4096), /is not valid JSON \(4096 bytes, cut short or damaged\?\)/],
    ['not JSON', () => 'hello\n', /is not valid JSON/],
    ['an array', () => '[]', /not a manifest \(expected an object\)/],
    ['wrong version', (good) => good.replace('"schema_version": 1', '"schema_version": 2'), /has schema_version 2; this skyloop reads version 1/],
    ['wrong schema', (good) => good.replace('"jobs": [', '"jobz": ['), /is not a valid manifest at jobs/],
  ];

  it('every command names the file and what is wrong, exits 1 without a stack trace, and leaves the file as it was', async () => {
    const w = factorialWorld();
    const skyloop = (args: string[]) => execa(SKYLOOP, args, { env: w.env, reject: false, stdin: 'ignore' });
    expect((await skyloop(['factorial', 'launch', w.config, '--approve'])).exitCode).toBe(0);
    const good = readFileSync(w.manifestPath, 'utf8');
    const commands = [
      ['factorial', 'status', 'seg'],
      ['factorial', 'status', 'seg', '--refresh'],
      ['factorial', 'watch', 'seg', '--interval', '0.1'],
      ['factorial', 'diagnose', 'seg'],
      ['factorial', 'rebuild', 'seg'],
      ['factorial', 'relaunch', 'seg'],
      ['factorial', 'report', 'seg'],
      ['factorial', 'launch', w.config, '--approve'],
    ];
    const client = new Client({ name: 'damage-test', version: '0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env: w.env, stderr: 'pipe' }));
    try {
      for (const [what, damage, problem] of DAMAGE) {
        const bad = damage(good);
        writeFileSync(w.manifestPath, bad);
        const results = await Promise.all(commands.map((args) => skyloop(args)));
        for (const [i, args] of commands.entries()) {
          const r = results[i]!;
          const seen = { what, command: args.slice(0, 2).join(' '), exit: r.exitCode, named: r.stderr.includes(w.manifestPath), stack: STACK_LINE.test(r.stderr) };
          expect(seen).toEqual({ ...seen, exit: 1, named: true, stack: false });
          expect(r.stderr).toMatch(problem);
          expect(readFileSync(w.manifestPath, 'utf8')).toBe(bad);
        }
        for (const [tool, args] of [['queue_status', { experiment: 'seg' }], ['aggregate_failures', { experiment: 'seg' }]] as const) {
          const r = await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS });
          expect(r.isError).toBe(true);
          expect(JSON.stringify(r.content)).toContain(w.manifestPath);
          expect(readFileSync(w.manifestPath, 'utf8')).toBe(bad);
        }
      }
    } finally {
      await client.close();
    }
    expect(existsSync(w.manifestPath)).toBe(true);
  });
});
