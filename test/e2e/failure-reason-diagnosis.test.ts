// SkyPilot's failure_reason through the real entry points: analyze_logs over stdio on a pipeline whose
// second task failed, and `skyloop analyze-logs --job` on a job whose log SkyPilot did not keep.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simState } from '../contract/sim-world.js';
import { lifeUntil, NOW, USERS } from '../contract/scenario.js';
import { MCP_CALL_LIMIT_MS, SKY_SIM, SKYLOOP, SKYLOOP_MCP, tempDir } from '../helpers/paths.js';
import { simWorld } from '../helpers/simulator.js';

describe("SkyPilot's failure_reason in the diagnosis, end to end", () => {
  it("analyze_logs (stdio) reads a pipeline's failed task, not task 0, with 0.14's reason as evidence", async () => {
    const world = simWorld();
    const pipeline = ['name: pipe', '---', 'name: prep', 'envs: {STAGE: prep}', 'run: python prep.py', '---', 'name: train', 'envs: {STAGE: train}', 'run: python train.py', '---', 'name: eval', 'envs: {STAGE: eval}', 'run: python eval.py'];
    writeFileSync(world.taskFile(), `${pipeline.join('\n')}\n`);
    writeFileSync(join(world.home, 'scenario.yaml'), 'rules:\n  - match: {env: {STAGE: train}}\n    outcome: fail\n    category: OOM_CUDA\n    at_minute: 5\n');
    const launched = await world.sky(['jobs', 'launch', '--yes', '--detach-run', '-n', 'pipe', world.taskFile()]);
    expect(launched.exitCode).toBe(0);
    await world.advance(6 * 3600);

    const queue = JSON.parse(String((await world.sky(['jobs', 'queue', '-a', '-v', '-o', 'json'])).stdout)) as { task_id: number; status: string; failure_reason: string | null }[];
    expect(queue.map((r) => r.status)).toEqual(['SUCCEEDED', 'FAILED', 'FAILED']);
    const reason = queue[1]!.failure_reason;
    expect(reason).toBe('Job exited with exit code 1 (user program failure). To see the details, run: sky jobs logs --controller 1');

    const client = new Client({ name: 'e2e', version: '0' });
    const env = { ...world.env, SKYLOOP_SKY_BIN: SKY_SIM, SKYLOOP_OUTPUTS_DIR: join(world.home, 'outputs') };
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env, cwd: world.home, stderr: 'pipe' }));
    try {
      const r = await client.callTool({ name: 'analyze_logs', arguments: { job_id: 1 } }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ category: 'OOM_CUDA', status: 'FAILED', task_id: 1, log: 'job', failure_reason: reason });
      expect((r.structuredContent as { log_reason: string }).log_reason).toMatch(/task 1 of 3/);
      // Text the agent already has, with the reason job_status showed it.
      const precheck = "[sky.exceptions.ResourcesUnavailableError] Task 'train' requires AWS which is not enabled. To enable access, change the task cloud requirement or run: sky check aws";
      const t = await client.callTool({ name: 'analyze_logs', arguments: { text: 'Launching managed job\n', status: 'FAILED_PRECHECKS', failure_reason: precheck } }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS });
      expect(t.structuredContent).toMatchObject({ category: 'CLOUD_CREDENTIALS', confidence: 'high', failure_reason: precheck, evidence: [{ line_number: 0, line: precheck }] });
    } finally {
      await client.close();
    }
  });

  it('skyloop analyze-logs --job reads the controller log when SkyPilot kept no log of the job', async () => {
    const reason = 'To see the details, run: sky jobs logs --controller 1';
    const state = simState({ id: 'no-kept-log', now: NOW, jobs: [{ name: 'train', tasks: [{ name: 'train', resources: '1x[H100:8]', events: lifeUntil('FAILED', 3600), failure_reason: reason }] }], commands: [] });
    // The controller streamed the program's output (a CUDA OOM) into its own log; no job log was kept.
    Object.assign(state.jobs[0]!.tasks[0]!.log, { cat: 'OOM_CUDA', ph: 'run', rc: 1, n: 5 });
    const home = tempDir('no-kept-log');
    writeFileSync(join(home, 'state.json'), JSON.stringify(state));
    const env = { SKYLOOP_SIM_HOME: home, SKYLOOP_SIM_SPEED: '0', SKYLOOP_SIM_EMULATE: '0.10.5', SKYLOOP_SKY_BIN: SKY_SIM, SKYPILOT_USER: 'alice', SKYPILOT_USER_ID: USERS.alice };
    const logs = await execa(SKY_SIM, ['jobs', 'logs', '--no-follow', '1'], { env, reject: false });
    expect(String(logs.stdout)).toMatch(/Job 1 is already in terminal state FAILED\. For more details, run: sky jobs logs --controller 1/);

    const json = await execa(SKYLOOP, ['analyze-logs', '--job', '1', '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ category: 'OOM_CUDA', log: 'controller', status: 'FAILED', failure_reason: reason });
    const text = await execa(SKYLOOP, ['analyze-logs', '--job', '1'], { env });
    expect(text.stdout).toContain(`SkyPilot's failure reason: ${reason}`);
    expect(text.stdout).toMatch(/read the controller log: SkyPilot kept no log of the job/);
  });

  it('skyloop analyze-logs <file> --failure-reason reads the reason as evidence', async () => {
    const file = join(tempDir('reason-file'), 'controller.log');
    writeFileSync(file, 'Launching managed job train from jobs controller...\nManaged job cluster launched.\n');
    const reason = 'Controller process has exited abnormally (Controller process is dead). For more details, run: sky jobs logs --controller 3';
    const r = await execa(SKYLOOP, ['analyze-logs', file, '--status', 'FAILED_CONTROLLER', '--failure-reason', reason, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ category: 'CONTROLLER_FAILURE', confidence: 'high', failure_reason: reason, evidence: [{ line_number: 0 }] });
    const refused = await execa(SKYLOOP, ['analyze-logs', '--job', '3', '--failure-reason', reason], { reject: false });
    expect(refused.exitCode).toBe(2);
  });
});
