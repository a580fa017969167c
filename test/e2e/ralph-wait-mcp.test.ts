// ralph_step's blocking wait through the stdio MCP server, as an agent uses it: one job's whole loop in a
// handful of calls, progress notifications while it waits, and a cancelled wait that stops polling.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MCP_CALL_LIMIT_MS, SKY_SIM, SKYLOOP_MCP, tempDir } from '../helpers/paths.js';
import { RALPH_OOM_SCENARIO, RALPH_TASK } from '../helpers/ralph-fixture.js';
import { simWorld } from '../helpers/simulator.js';

type Step = { action: string; ended: string; polls: number; steps: string[]; report: { outcome: string; attempts: { category: string | null }[] } };

async function world(speed: string) {
  const dir = tempDir('ralph-wait');
  const sim = simWorld({ SKYLOOP_SIM_SPEED: speed, SKYLOOP_SIM_SCENARIO: join(dir, 'scenario.yaml') });
  writeFileSync(join(dir, 'scenario.yaml'), RALPH_OOM_SCENARIO);
  const task = join(dir, 'train.sky.yaml');
  writeFileSync(task, RALPH_TASK);
  const env = { ...sim.env, SKYLOOP_SKY_BIN: SKY_SIM, SKYLOOP_OUTPUTS_DIR: join(dir, 'outputs'), SKYLOOP_SIM_CALL_LOG: join(dir, 'sky-calls.log') };
  const client = new Client({ name: 'ralph-wait', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env, cwd: dir, stderr: 'pipe' }));
  let calls = 0;
  const progress: Progress[] = [];
  const step = async (args: Record<string, unknown>, signal?: AbortSignal) => {
    calls++;
    const r = await client.callTool(
      { name: 'ralph_step', arguments: { task_yaml: task, batch_size_env: 'BATCH_SIZE', poll_interval_s: 0.05, preflight: { min_free_disk_gb: 0 }, ...args } },
      CallToolResultSchema,
      { timeout: MCP_CALL_LIMIT_MS, resetTimeoutOnProgress: true, onprogress: (p) => progress.push(p), ...(signal ? { signal } : {}) },
    );
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return r.structuredContent as Step;
  };
  const events = () => {
    const log = join(dir, 'outputs', 'ralph_diagnoses.jsonl');
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string }) : [];
  };
  const queueCalls = () => readFileSync(env.SKYLOOP_SIM_CALL_LOG, 'utf8').split('\n').filter((c) => c === 'queue').length;
  return { sim, client, step, events, queueCalls, progress, calls: () => calls };
}

describe('ralph_step with wait_s over stdio', () => {
  it("runs one job's whole loop (OOM, fix, success) in two calls, with progress notifications while it waits", { timeout: 600_000 }, async () => {
    const w = await world('6000'); // 20 simulated minutes take 0.2 s
    try {
      const first = await w.step({ wait_s: 600 });
      // Launched, followed, and back at the first decision: the OOM and the fix the loop chose.
      expect(first).toMatchObject({ action: 'attempt_ended', ended: 'decision' });
      expect(first.steps[0]).toMatch(/^attempt 1: launched job 1/);
      expect(first.steps.at(-1)).toMatch(/attempt 1 failed with OOM_CUDA; next attempt: CUDA out of memory: halve BATCH_SIZE 64 → 32/);
      expect(first.polls).toBeGreaterThan(1);
      const second = await w.step({ wait_s: 600 });
      expect(second).toMatchObject({ action: 'stopped', ended: 'stopped', report: { outcome: 'succeeded', attempts: [{ category: 'OOM_CUDA' }, { category: null }] } });
      expect(w.calls()).toBe(2);
      // A progress notification per poll, with what the loop saw (the client may take the last of a call
      // after its result; how many polls saw the job PENDING or RUNNING depends on the machine's speed).
      expect(w.progress.length).toBeGreaterThanOrEqual(first.polls + second.polls - 2);
      expect(w.progress.length).toBeLessThanOrEqual(first.polls + second.polls);
      expect(w.progress.map((p) => p.message)).toContain(first.steps[0]);
      expect(w.progress.every((p) => /^attempt [12]\b/.test(p.message ?? ''))).toBe(true);
      // One `sky jobs queue` per poll (plus the success log's own lookup).
      expect(w.queueCalls()).toBeLessThanOrEqual(first.polls + second.polls + 1);
    } finally {
      await w.client.close();
    }
  });

  it('a cancelled wait stops following the loop; the next call picks the run up', { timeout: 600_000 }, async () => {
    const w = await world('0'); // frozen: the job stays where it is until the test moves the clock
    try {
      const abort = new AbortController();
      const waiting = w.step({ wait_s: 3600 }, abort.signal);
      while (w.progress.length < 3) await sleep(20);
      abort.abort();
      await expect(waiting).rejects.toThrow();
      // This call takes the run's lock after the cancelled wait's last step: nothing of it runs afterwards.
      expect((await w.step({ wait_s: 0 })).action).toBe('waiting');
      const after = w.queueCalls();
      await w.sim.advance(3600); // attempt 1 fails by now; a wait still running would end it by itself
      await sleep(1000);
      expect(w.events().filter((e) => e.type === 'attempt_ended')).toEqual([]);
      expect(w.queueCalls()).toBe(after);

      const decided = await w.step({ wait_s: 600 });
      expect(decided).toMatchObject({ action: 'attempt_ended', ended: 'decision' });
      // until=change returns at the launch of the next attempt, and at each status change after it.
      const launched = await w.step({ wait_s: 600, until: 'change' });
      expect(launched).toMatchObject({ action: 'launched', ended: 'change' });
      await w.sim.advance(3600);
      const done = await w.step({ wait_s: 600 });
      expect(done).toMatchObject({ action: 'stopped', report: { outcome: 'succeeded' } });
      expect(w.events().filter((e) => e.type === 'attempt_started')).toHaveLength(2);
    } finally {
      await w.client.close();
    }
  });
});
