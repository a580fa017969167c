// The factorial loop as an agent drives it: the SDK's MCP client over stdio against the built server.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { SKYLOOP_MCP, MCP_CALL_LIMIT_MS } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';

type Summary = { total: number; terminal: number; all_terminal: boolean; counts: Record<string, number>; attention: unknown[] };

describe('skyloop-mcp factorial tools (stdio, simulator)', () => {
  it('launch_factorial → wait_for_change (kill switch, progress) → queue_status', async () => {
    const w = factorialWorld();
    const client = new Client({ name: 'e2e', version: '0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env: w.env, cwd: w.dir, stderr: 'pipe' }));
    const call = async (name: string, args: Record<string, unknown>, onprogress?: (p: { message?: string }) => void) =>
      client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS, ...(onprogress ? { onprogress, resetTimeoutOnProgress: true } : {}) });

    try {
      const refused = await call('launch_factorial', { config_path: w.config });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/above the approval threshold/);

      const launched = await call('launch_factorial', { config_path: w.config, approve: true });
      expect(launched.isError).toBeFalsy();
      expect(launched.structuredContent).toMatchObject({ conditions: 24, launched: 24 });
      expect(w.manifest().jobs.filter((j) => j.job_id !== null)).toHaveLength(24);

      // First poll sees every job appear.
      const first = await call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
      expect(first.structuredContent).toMatchObject({ changed: true, polls: 1 });

      // Nothing moves (frozen clock): it waits the whole timeout, reporting progress meanwhile. The timeout
      // leaves room for a second poll however long one poll takes on a busy machine.
      const progress: string[] = [];
      const idle = await call('wait_for_change', { experiment: 'seg', timeout_s: 30, interval_s: 1 }, (p) => progress.push(p.message ?? ''));
      expect(idle.structuredContent).toMatchObject({ changed: false });
      expect((idle.structuredContent as { polls: number }).polls).toBeGreaterThanOrEqual(2);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress[0]).toMatch(/^0\/24 terminal after \d+ s$/);

      const tooEarly = await call('aggregate_failures', { experiment: 'seg' });
      expect(tooEarly.isError).toBe(true);
      expect(JSON.stringify(tooEarly.content)).toMatch(/F1 WAIT-FOR-TERMINAL: 24 job\(s\) of batch 0 are not terminal yet/);

      await w.advance(8 * 60);
      const fired = await call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
      const ks = (fired.structuredContent as { kill_switch: { fired: boolean; cancelled: string[] }[] }).kill_switch;
      expect(ks.filter((k) => k.fired).flatMap((k) => k.cancelled).sort()).toEqual([
        'sam3/cbdice/calibration-false/fold-2', 'sam3/cbdice/calibration-true/fold-2',
      ]);

      await w.advance(24 * 3600);
      const end = await call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
      expect((end.structuredContent as { summary: Summary }).summary.all_terminal).toBe(true);

      const status = await call('queue_status', { experiment: 'seg' });
      const s = status.structuredContent as Summary;
      expect(s.counts).toEqual({ SUCCEEDED: 18, FAILED: 4, CANCELLED: 2 });
      expect(s.attention).toHaveLength(4);
      expect(JSON.stringify(status.structuredContent).length).toBeLessThan(3_000);

      const aggregated = await call('aggregate_failures', { experiment: 'seg' });
      const agg = aggregated.structuredContent as { failed: number; root_causes: { root_cause_id: string; conditions: string[]; pattern: string }[] };
      expect(agg.failed).toBe(4);
      expect(agg.root_causes.map((r) => [r.root_cause_id, r.conditions.length, r.pattern])).toEqual([
        ['OOM_CUDA', 4, 'model+loss-specific (model=sam3, loss=cbdice)'],
      ]);
      expect((aggregated.content as { text: string }[])[0]?.text).toMatch(/^OOM_CUDA {2}4 job\(s\)/m);

      const failedJob = w.manifest().jobs.find((j) => j.status === 'FAILED')!.job_id;
      const analysis = await call('analyze_logs', { job_id: failedJob });
      expect(analysis.structuredContent).toMatchObject({ category: 'OOM_CUDA', confidence: 'high', log: 'job', job_id: failedJob });
      const both = await call('analyze_logs', { job_id: failedJob, text: 'x' });
      expect(both.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});
