// An experiment launched from its project is found from anywhere: the CLI from another directory, and the MCP
// server whatever its working directory (Claude Code starts it where it likes), through the launch index.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { MCP_CALL_LIMIT_MS, SKYLOOP, SKYLOOP_MCP, tempDir } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';

describe('an experiment launched from its project', () => {
  it('is found by the CLI from another directory and by an MCP server started elsewhere', async () => {
    const w = factorialWorld();
    const { SKYLOOP_OUTPUTS_DIR: _explicit, ...rest } = w.env;
    const env = { ...rest, SKYLOOP_HOME: tempDir('skyloop-home') };
    const elsewhere = tempDir('elsewhere');

    const launch = await execa(SKYLOOP, ['factorial', 'launch', 'experiment.yaml', '--approve', '--json'], { env, cwd: w.dir, stdin: 'ignore' });
    expect(JSON.parse(launch.stdout)).toMatchObject({ experiment_id: 'seg', launched: 24, failed: [] });
    expect(existsSync(join(w.dir, 'outputs', 'factorial_manifest_seg.json'))).toBe(true);

    const status = await execa(SKYLOOP, ['factorial', 'status', 'seg', '--json'], { env, cwd: elsewhere, stdin: 'ignore' });
    expect(JSON.parse(status.stdout)).toMatchObject({ experiment_id: 'seg', total: 24 });
    const listed = JSON.parse((await execa(SKYLOOP, ['experiments', '--json'], { env, cwd: elsewhere })).stdout) as { experiments: { experiment_id: string; outputs_dir: string }[] };
    expect(listed.experiments).toEqual([expect.objectContaining({ experiment_id: 'seg', outputs_dir: join(w.dir, 'outputs') })]);

    const client = new Client({ name: 'anywhere', version: '0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env, cwd: elsewhere, stderr: 'pipe' }));
    try {
      const r = await client.callTool({ name: 'queue_status', arguments: { experiment: 'seg', refresh: false } }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ experiment_id: 'seg', total: 24 });
      const resources = (await client.listResources()).resources.map((x) => x.uri);
      expect(resources).toContain('skyloop://experiments/seg/view');
      const view = await client.readResource({ uri: 'skyloop://experiments/seg/view' });
      expect(JSON.parse((view.contents[0] as { text: string }).text)).toMatchObject({ experiment_id: 'seg' });
      // Nothing was created where the server happens to run.
      expect(existsSync(join(elsewhere, 'outputs'))).toBe(false);
    } finally {
      await client.close();
    }
  });
});
