// The single-job loop as users and agents run it: `skyloop preflight` / `skyloop ralph run`, and the MCP
// tools preflight_check, launch_job, job_status and ralph_step, all against the simulator.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SKY_SIM, SKYLOOP, SKYLOOP_MCP, tempDir, MCP_CALL_LIMIT_MS } from '../helpers/paths.js';
import { RALPH_OOM_SCENARIO, RALPH_TASK } from '../helpers/ralph-fixture.js';
import { simWorld } from '../helpers/simulator.js';

function world() {
  const dir = tempDir('ralph-e2e');
  const w = simWorld({ SKYLOOP_SIM_SPEED: '6000', SKYLOOP_SIM_SCENARIO: join(dir, 'scenario.yaml') });
  writeFileSync(join(dir, 'scenario.yaml'), RALPH_OOM_SCENARIO);
  const task = join(dir, 'train.sky.yaml');
  writeFileSync(task, RALPH_TASK);
  const env = { ...w.env, SKYLOOP_SKY_BIN: SKY_SIM, SKYLOOP_OUTPUTS_DIR: join(dir, 'outputs') };
  return { dir, task, env };
}

describe('ralph-loop through the CLI and MCP', () => {
  it('skyloop preflight blocks on a missing env var (names only) and passes with an override; ralph run fixes the OOM', async () => {
    const w = world();
    const pre = await execa(SKYLOOP, ['preflight', w.task, '--require-env', 'HF_TOKEN,WANDB_API_KEY', '--min-free-disk-gb', '0'], { env: { ...w.env, HF_TOKEN: 'hf_secretsecretsecretsecret123' }, reject: false });
    expect(pre.exitCode).toBe(1);
    expect(pre.stdout).toMatch(/✗ env_vars .*WANDB_API_KEY/);
    expect(pre.stdout).toMatch(/✓ cloud_credentials +GCP is enabled/);
    expect(pre.stdout).toMatch(/✓ gpu_availability .*A100/);
    expect(pre.stdout).toMatch(/pre-flight: blocked by env_vars/);
    expect(pre.stdout).not.toContain('hf_secret');

    const run = await execa(SKYLOOP, ['ralph', 'run', w.task, '--batch-size-env', 'BATCH_SIZE', '--poll-interval', '0.05', '--min-free-disk-gb', '0', '--require-env', 'WANDB_API_KEY', '--override', 'env_vars'], { env: w.env, reject: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/✗ env_vars .*\(overridden\)/);
    expect(run.stdout).toMatch(/attempt 1 failed with OOM_CUDA; next attempt: CUDA out of memory: halve BATCH_SIZE 64 → 32/);
    expect(run.stdout).toMatch(/^train: succeeded — attempt 2 succeeded/m);
    const report = JSON.parse((await execa(SKYLOOP, ['ralph', 'report', 'train', '--json'], { env: w.env })).stdout);
    expect(report).toMatchObject({ outcome: 'succeeded', attempts: [{ category: 'OOM_CUDA' }, { status: 'SUCCEEDED' }] });
  });

  it('an agent drives it with preflight_check, ralph_step, job_status and launch_job', async () => {
    const w = world();
    const client = new Client({ name: 'ralph-e2e', version: '0' });
    // The server runs in the project, as a client starts it: task files are accepted from there.
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env: w.env, cwd: w.dir, stderr: 'pipe' }));
    const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS });
    try {
      const pre = await call('preflight_check', { task_yaml: w.task, min_free_disk_gb: 0 });
      expect(pre.structuredContent).toMatchObject({ ok: true, blocking: [] });

      const blocked = await call('ralph_step', { task_yaml: w.task, name: 'blocked', preflight: { required_env: ['SKYLOOP_TEST_UNSET_VAR'] } });
      expect(blocked.isError).toBe(true);
      expect(JSON.stringify(blocked.content)).toMatch(/PRE-FLIGHT: blocked by env_vars/);
      expect((await call('job_status', { job_id: 1 })).isError).toBe(true); // nothing was launched

      const actions: string[] = [];
      let last: { action: string; report: { outcome: string; attempts: { category: string | null }[] } } | undefined;
      for (let i = 0; i < 200 && last?.action !== 'stopped'; i++) {
        const step = await call('ralph_step', { task_yaml: w.task, batch_size_env: 'BATCH_SIZE', poll_interval_s: 0.05 });
        expect(step.isError).toBeFalsy();
        last = step.structuredContent as typeof last;
        if (actions.at(-1) !== last!.action) actions.push(last!.action);
        if (last!.action === 'waiting') await new Promise((r) => setTimeout(r, 50));
      }
      expect(actions[0]).toBe('launched');
      expect(actions).toContain('attempt_ended');
      expect(last?.report).toMatchObject({ outcome: 'succeeded', attempts: [{ category: 'OOM_CUDA' }, { category: null }] });

      const job = await call('launch_job', { task_yaml: w.task, name: 'one-off', env: { BATCH_SIZE: '8' } });
      const jobId = (job.structuredContent as { job_id: number }).job_id;
      const status = await call('job_status', { job_id: jobId });
      expect(status.structuredContent).toMatchObject({ job_id: jobId, job_name: 'one-off' });
      const missing = await call('job_status', { job_id: 99999 });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toMatch(/no managed job with id 99999/);
    } finally {
      await client.close();
    }
  });
});
