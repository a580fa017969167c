// Every refusal of relaunch_failed, through the CLI and through the MCP client: the rule is named.
import { describe, expect, it } from 'vitest';
import { relaunchWorld } from '../helpers/relaunch-world.js';

const text = (r: { [k: string]: unknown }) => JSON.stringify(r.content);

describe('relaunch refusals (CLI and MCP)', () => {
  it('F1, F2, F3 and the budget each refuse with their reason; nothing is launched', async () => {
    const w = await relaunchWorld();
    expect((await w.skyloop(['factorial', 'launch', w.config])).exitCode).toBe(0);
    const mcp = await w.mcp();
    try {
      const refusedBy = async (pattern: RegExp) => {
        const cli = await w.skyloop(['factorial', 'relaunch', 'seg']);
        expect(cli.exitCode).toBe(1);
        expect(cli.stderr).toMatch(pattern);
        const tool = await mcp.call('relaunch_failed', { experiment: 'seg' });
        expect(tool.isError).toBe(true);
        expect(text(tool)).toMatch(pattern);
      };

      await refusedBy(/F1 WAIT-FOR-TERMINAL: 6 job\(s\) of batch 0 are not terminal yet[\s\S]*job \d+: (PENDING|STARTING|RUNNING)[\s\S]*next: wait_for_change/);
      // No rebuild either while the batch runs (it would move the tag launching jobs pull).
      const rebuild = await mcp.call('rebuild_and_verify_digest', { experiment: 'seg' });
      expect(rebuild.isError).toBe(true);
      expect(text(rebuild)).toMatch(/F1 WAIT-FOR-TERMINAL[\s\S]*next: wait_for_change\(experiment=\\"seg\\"\)/);
      await w.runBatch();
      await refusedBy(/F2 AGGREGATE-BEFORE-FIX: batch 0 has not been aggregated[\s\S]*next: aggregate_failures/);
      expect((await w.skyloop(['factorial', 'diagnose', 'seg'])).exitCode).toBe(0);
      // Nothing changed, and an OOM needs a fix: relaunching the same image would fail the same way.
      await refusedBy(/F3 REBUILD-BEFORE-RELAUNCH: nothing changed since batch 0 launched, and OOM_CUDA \(auto\) will fail the same way again/);
      // An uncommitted fix is refused before anything else of F3.
      const { writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      writeFileSync(join(w.dir, 'train.py'), 'batch_size = 48\n');
      await refusedBy(/F3 REBUILD-BEFORE-RELAUNCH: the work tree has uncommitted changes[\s\S]*next: commit/);
      await w.git('checkout', '--', 'train.py');
      await w.commitFix();
      await refusedBy(/F3 REBUILD-BEFORE-RELAUNCH: code or config changed since batch 0 launched, and no verified rebuild is newer than its aggregation/);

      expect(w.manifest().batches).toHaveLength(1);
      expect(w.events().filter((e) => e.type === 'relaunch')).toEqual([]);
    } finally {
      await mcp.close();
    }
  });
});
