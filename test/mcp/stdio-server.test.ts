import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SKYLOOP_MCP, tempDir } from '../helpers/paths.js';

/** Talk to the built server over real pipes, exactly as Claude Code does. */
function startServer() {
  const child = spawn(process.execPath, [SKYLOOP_MCP], {
    env: { ...process.env, SKYLOOP_OUTPUTS_DIR: tempDir('mcp-out'), SKYLOOP_SKY_BIN: '/nonexistent/sky' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let exited = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.on('exit', () => (exited = true));
  const send = (msg: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
  // Waits for the answer however slow the machine is (the test's timeout is the backstop); a server that exits is an error.
  const response = (id: number) =>
    new Promise<{ result?: Record<string, unknown>; error?: unknown }>((resolve, reject) => {
      const look = () => {
        const line = stdout.split('\n').find((l) => l.includes(`"id":${id}`));
        if (line) {
          child.stdout.off('data', look);
          resolve(JSON.parse(line) as { result?: Record<string, unknown>; error?: unknown });
        } else if (exited) reject(new Error(`no response ${id}: the server exited; stdout so far: ${stdout}`));
      };
      child.stdout.on('data', look);
      child.once('exit', look);
      look();
    });
  return { child, send, response, stdout: () => stdout };
}

describe('skyloop-mcp over stdio', () => {
  it('answers initialize and tools/list with nothing but JSON-RPC on stdout, and exits when stdin closes', async () => {
    const { child, send, response, stdout } = startServer();
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
    const init = await response(1);
    expect(init.result?.instructions).toMatch(/F1 wait for every job/);
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/list' });
    const list = await response(2);
    const tools = (list.result?.tools as { name: string; annotations: Record<string, boolean>; outputSchema?: object }[]);
    expect(tools.map((t) => t.name).sort()).toEqual(['aggregate_failures', 'analyze_logs', 'cancel_conditions', 'generate_report', 'job_status', 'launch_factorial', 'launch_job', 'preflight_check', 'queue_status', 'ralph_step', 'rebuild_and_verify_digest', 'relaunch_failed', 'wait_for_change']);
    expect(tools.find((t) => t.name === 'queue_status')?.annotations.readOnlyHint).toBe(true);
    expect(tools.every((t) => t.outputSchema)).toBe(true);

    send({ id: 4, method: 'prompts/list' });
    const prompts = (await response(4)).result?.prompts as { name: string }[];
    expect(prompts.map((p) => p.name).sort()).toEqual(['factorial-monitor', 'ralph-loop']);
    send({ id: 5, method: 'prompts/get', params: { name: 'factorial-monitor', arguments: { config: 'exp.yaml' } } });
    expect(JSON.stringify((await response(5)).result)).toMatch(/launch_factorial\(config_path=\\"exp\.yaml\\"\)/);
    send({ id: 6, method: 'resources/templates/list' });
    const templates = (await response(6)).result?.resourceTemplates as { uriTemplate: string }[];
    expect(templates.map((t) => t.uriTemplate).sort()).toEqual([
      'skyloop://experiments/{experiment}/events', 'skyloop://experiments/{experiment}/manifest', 'skyloop://experiments/{experiment}/report',
      'skyloop://experiments/{experiment}/view',
    ]);

    // A tool error comes back as a result with isError, naming the experiment.
    send({ id: 3, method: 'tools/call', params: { name: 'queue_status', arguments: { experiment: 'nope', refresh: false } } });
    const err = await response(3);
    expect(err.result?.isError).toBe(true);
    expect(JSON.stringify(err.result?.content)).toMatch(/no experiment 'nope'/);

    const exited = new Promise<number | null>((r) => child.on('exit', r));
    child.stdin.end();
    expect(await exited).toBe(0);
    for (const line of stdout().split('\n').filter((l) => l.trim() !== '')) {
      expect(JSON.parse(line)).toHaveProperty('jsonrpc', '2.0');
    }
  });
});
