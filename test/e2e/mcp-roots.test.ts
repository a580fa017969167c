// A relative path in a tool argument is the client's project's: a real stdio client that advertises MCP
// roots gets its config, log and task found in its root, not in the server's working directory or a stale
// CLAUDE_PROJECT_DIR; an error names the directory that was used and why; files elsewhere stay refused.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { MCP_CALL_LIMIT_MS, SKYLOOP_MCP, tempDir } from '../helpers/paths.js';
import { factorialWorld, TASK_YAML } from '../helpers/factorial-fixture.js';

const text = (r: unknown) => ((r as { content: { text: string }[] }).content).map((c) => c.text).join('\n');

describe('relative paths over MCP with roots', () => {
  it("resolve against the client's root, ahead of CLAUDE_PROJECT_DIR and the server's directory, and say so when missing", async () => {
    const w = factorialWorld();
    writeFileSync(w.config, 'experiment: rooted\nfactors: {model: [dynunet, sam3]}\ntask: task.yaml\ncost: {hourly_rate_usd: 1, expected_hours: 1, budget_usd: 10}\n');
    writeFileSync(join(w.dir, 'crash.log'), 'Traceback (most recent call last):\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n');
    // A decoy project elsewhere with a config of the same name: the root must win over it.
    const decoy = tempDir('decoy');
    writeFileSync(join(decoy, 'task.yaml'), TASK_YAML);
    writeFileSync(join(decoy, 'experiment.yaml'), 'experiment: decoy\nfactors: {model: [a]}\ntask: task.yaml\ncost: {hourly_rate_usd: 1, expected_hours: 1, budget_usd: 10}\n');
    const serverDir = tempDir('server-cwd');

    const client = new Client({ name: 'roots-client', version: '0' }, { capabilities: { roots: { listChanged: true } } });
    let listed = 0;
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      listed++;
      return { roots: [{ uri: pathToFileURL(w.dir).href, name: 'experiment project' }] };
    });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env: { ...w.env, CLAUDE_PROJECT_DIR: decoy }, cwd: serverDir, stderr: 'pipe' }));
    try {
      const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS });

      const launched = await call('launch_factorial', { config_path: 'experiment.yaml' });
      expect(launched.isError, text(launched)).toBeFalsy();
      expect(launched.structuredContent).toMatchObject({ experiment_id: 'rooted', conditions: 2, launched: 2 });
      expect(listed).toBeGreaterThan(0);

      const missing = await call('launch_factorial', { config_path: 'nope.yaml' });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toContain(`config_path nope.yaml does not exist in ${w.dir} (relative paths resolve against the client's MCP root)`);

      // A log in the client's project, named relatively, is read from there (and allowed: it is the project).
      const log = await call('analyze_logs', { path: 'crash.log', status: 'FAILED' });
      expect(log.isError, text(log)).toBeFalsy();
      expect(log.structuredContent).toMatchObject({ category: 'OOM_CUDA' });
      const job = await call('launch_job', { task_yaml: 'task.yaml', name: 'rooted-one' });
      expect(job.isError, text(job)).toBeFalsy();
      // Trusting the client's project opens nothing else: the decoy directory is neither root nor server's.
      const outside = await call('analyze_logs', { path: join(decoy, 'experiment.yaml') });
      expect(outside.isError).toBe(true);
      expect(text(outside)).toMatch(/refused: only files under /);
      // The pre-flight and ralph-loop read their task the same way: relative is the root's, elsewhere is refused.
      const pre = await call('preflight_check', { task_yaml: 'task.yaml', min_free_disk_gb: 0 });
      expect(pre.isError, text(pre)).toBeFalsy();
      expect((pre.structuredContent as { checks: unknown[] }).checks.length).toBeGreaterThan(0);
      for (const tool of ['preflight_check', 'ralph_step']) {
        const planted = await call(tool, { task_yaml: join(decoy, 'task.yaml') });
        expect(planted.isError, tool).toBe(true);
        expect(text(planted), tool).toMatch(new RegExp(`${tool} task_yaml .* refused: only files under `));
      }
    } finally {
      await client.close();
    }
  });
});
