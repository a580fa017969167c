// End to end over stdio, the way Claude Code starts the server: command and args from .mcp.json, run from the
// project root. Lists tools, prompts and resources, checks that stdout carries nothing but JSON-RPC, and that
// the server exits when its stdin closes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers/paths.js';

interface ServerEntry { type?: string; command: string; args?: string[]; env?: Record<string, string> }

const mcpJson = JSON.parse(readFileSync(join(REPO, '.mcp.json'), 'utf8')) as { mcpServers: Record<string, ServerEntry> };

describe('.mcp.json', () => {
  it('registers one stdio server, skyloop, started with node from the project', () => {
    expect(Object.keys(mcpJson.mcpServers)).toEqual(['skyloop']);
    const s = mcpJson.mcpServers.skyloop as ServerEntry;
    expect(s.type ?? 'stdio').toBe('stdio');
    expect(s.command).toBe('node');
    expect(s.args).toEqual(['bin/skyloop-mcp']);
  });

  it('starts a server that speaks only JSON-RPC on stdout, lists tools, prompts and resources, and exits on stdin close', async () => {
    const s = mcpJson.mcpServers.skyloop as ServerEntry;
    const command = s.command === 'node' ? process.execPath : s.command;
    const child = spawn(command, s.args ?? [], {
      cwd: REPO,
      env: { ...process.env, ...s.env, SKYLOOP_OUTPUTS_DIR: tempDir('mcp-json-out'), SKYLOOP_SKY_BIN: '/nonexistent/sky' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const send = (msg: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
    const response = async (id: number): Promise<Record<string, unknown>> => {
      for (let i = 0; i < 400; i++) {
        for (const line of stdout.split('\n')) {
          if (line.trim() === '') continue;
          const msg = JSON.parse(line) as { id?: number; result?: Record<string, unknown>; error?: unknown };
          if (msg.id === id) {
            expect(msg.error).toBeUndefined();
            return msg.result as Record<string, unknown>;
          }
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no response to ${id}; stdout: ${stdout.slice(0, 500)}`);
    };

    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'claude-code-like', version: '0' } } });
    const init = await response(1);
    expect((init.serverInfo as { name: string }).name).toBe('skyloop');
    expect(Object.keys(init.capabilities as object)).toEqual(expect.arrayContaining(['tools', 'prompts', 'resources']));
    send({ method: 'notifications/initialized' });

    send({ id: 2, method: 'tools/list' });
    const tools = ((await response(2)).tools as { name: string }[]).map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['launch_factorial', 'wait_for_change', 'aggregate_failures', 'rebuild_and_verify_digest', 'relaunch_failed', 'generate_report', 'preflight_check', 'ralph_step']));
    // Claude Code names plugin tools mcp__plugin_<plugin>_<server>__<tool>; the API allows 64 characters.
    for (const t of tools) expect(`mcp__plugin_skyloop_skyloop__${t}`.length, t).toBeLessThanOrEqual(64);

    send({ id: 3, method: 'prompts/list' });
    const prompts = ((await response(3)).prompts as { name: string }[]).map((p) => p.name);
    expect(prompts).toEqual(expect.arrayContaining(['factorial-monitor', 'ralph-loop']));

    send({ id: 4, method: 'resources/templates/list' });
    const templates = ((await response(4)).resourceTemplates as { uriTemplate: string }[]).map((t) => t.uriTemplate);
    expect(templates).toEqual(expect.arrayContaining(['manifest', 'events', 'report'].map((k) => `skyloop://experiments/{experiment}/${k}`)));

    send({ id: 5, method: 'resources/list' });
    expect((await response(5)).resources).toEqual([]);

    child.stdin.end();
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('jsonrpc', '2.0');
  });
});
