// The single-job loop against the simulator (real child processes), one scenario per rule of the loop.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPatternLibrary } from '../../mcp-server/src/diagnosis/pattern-library.js';
import { catalogHourlyRate, ralphRun } from '../../mcp-server/src/ralph/ralph-run.js';
import { RalphSettingsSchema } from '../../mcp-server/src/ralph/ralph-settings.js';
import { ralphStep } from '../../mcp-server/src/ralph/ralph-step.js';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { SKY_SIM, tempDir } from '../helpers/paths.js';
import { simWorld } from '../helpers/simulator.js';

const library = loadPatternLibrary();

function world(scenario: string, task: string) {
  const dir = tempDir('ralph');
  // 6000 simulated seconds per real second: a 20-minute job takes 0.2 s.
  const w = simWorld({ SKYLOOP_SIM_SPEED: '6000', SKYLOOP_SIM_SCENARIO: join(dir, 'scenario.yaml') });
  writeFileSync(join(dir, 'scenario.yaml'), scenario);
  const taskFile = join(dir, 'train.sky.yaml');
  writeFileSync(taskFile, task);
  const outputs = join(dir, 'outputs');
  const sky = new SkyCli({ bin: SKY_SIM, env: w.env });
  const ctx = { sky, outputsDir: outputs, now: () => new Date(), library, hourlyRate: catalogHourlyRate({ ...process.env, ...w.env, SKYLOOP_SKY_BIN: SKY_SIM }) };
  const settings = (over: Record<string, unknown>) => RalphSettingsSchema.parse({ task_yaml: taskFile, poll_interval_s: 0.05, stuck_after_s: 1, budget_usd: 50, ...over });
  const run = (over: Record<string, unknown> = {}) => ralphRun(settings(over), ctx);
  return { dir, outputs, taskFile, ctx, settings, run, events: () => readFileSync(join(outputs, 'ralph_diagnoses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)) };
}

const TASK = `name: train
resources:
  accelerators: A100:1
  infra: aws/us-east-1
  use_spot: true
  image_id: docker:ghcr.io/example/train:v1
envs:
  BATCH_SIZE: 64
run: python train.py --batch-size $BATCH_SIZE
`;

describe('ralph-loop scenarios (simulator)', () => {
  it('CUDA OOM twice, then success with the batch size halved twice; the user task is untouched', async () => {
    const w = world(`defaults: {duration: 20m}
rules:
  - {match: {env: {BATCH_SIZE: "64"}}, outcome: fail, category: OOM_CUDA, at_minute: 3}
  - {match: {env: {BATCH_SIZE: "32"}}, outcome: fail, category: OOM_CUDA, at_minute: 3}
  - {outcome: succeed, duration: 20m, tracking_url: "http://mlflow.internal:5000/#/experiments/3/runs/{job_id}"}
`, TASK);
    const report = await w.run({ batch_size_env: 'BATCH_SIZE' });
    expect(report.tracking_url).toBe('http://mlflow.internal:5000/#/experiments/3/runs/3');
    expect(report.outcome).toBe('succeeded');
    expect(report.attempts.map((a) => [a.status, a.category, a.fix_applied])).toEqual([
      ['FAILED', 'OOM_CUDA', 'CUDA out of memory: halve BATCH_SIZE 64 → 32'],
      ['FAILED', 'OOM_CUDA', 'CUDA out of memory: halve BATCH_SIZE 32 → 16'],
      ['SUCCEEDED', null, null],
    ]);
    expect(readFileSync(w.taskFile, 'utf8')).toBe(TASK);
    expect(readFileSync(join(w.outputs, 'ralph', 'train', 'attempt-3.sky.yaml'), 'utf8')).toMatch(/BATCH_SIZE: "16"/);
    // Cost from the catalog's spot price of an A100 times the time each attempt ran.
    const started = w.events().filter((e) => e.type === 'attempt_started');
    expect(started[0].hourly_rate).toBeGreaterThan(0);
    expect(report.cost_usd).toBeCloseTo(report.attempts.reduce((s, a) => s + a.cost_usd, 0), 2);
    for (const e of w.events().filter((x) => x.type === 'attempt_ended')) {
      expect(e).toMatchObject({ schema_version: 1, run: 'train', cloud: 'aws', gpu: 'A100:1' });
      expect(e.duration_s).toBeGreaterThan(0);
    }
  });

  it('sold out in two regions, then success in the third of the rotation', async () => {
    const w = world(`defaults: {duration: 20m}
rules:
  - {match: {infra: "aws/us-east-1"}, outcome: stuck}
  - {match: {infra: "aws/us-west-2"}, outcome: stuck}
`, TASK);
    const report = await w.run({ infra: ['aws/us-east-1', 'aws/us-west-2', 'gcp/us-central1'] });
    expect(report.outcome).toBe('succeeded');
    expect(report.attempts.map((a) => [`${a.cloud}/${a.region}`, a.category])).toEqual([
      ['aws/us-east-1', 'GPU_SOLD_OUT'], ['aws/us-west-2', 'GPU_SOLD_OUT'], ['gcp/us-central1', null],
    ]);
    expect(report.attempts[0]?.status).toMatch(/given up: GPU_SOLD_OUT/);
  });

  it('preempted more than 3 times on spot: switches to on-demand and succeeds', async () => {
    const w = world(`defaults: {duration: 2h}
rules:
  - {match: {spot: true}, outcome: preempt, times: 20, every: 10m, then: succeed}
`, TASK);
    const report = await w.run();
    expect(report.outcome).toBe('succeeded');
    expect(report.attempts.map((a) => a.category)).toEqual(['SPOT_PREEMPTION', null]);
    expect(report.attempts[0]?.fix_applied).toBe('preempted too often on spot: switch to on-demand');
    expect(readFileSync(join(w.outputs, 'ralph', 'train', 'attempt-2.sky.yaml'), 'utf8')).toMatch(/use_spot: false/);
  });

  it('DATA_MISSING stops at once, with an issue draft', async () => {
    const w = world('rules:\n  - {outcome: fail, category: DATA_MISSING, at_minute: 1}\n', TASK);
    const report = await w.run();
    expect(report).toMatchObject({ outcome: 'unrecoverable' });
    expect(report.attempts).toHaveLength(1);
    expect(report.issue_draft).toMatch(/issues\/ralph-train-DATA_MISSING\.md$/);
    expect(readFileSync(report.issue_draft!, 'utf8')).toMatch(/FileNotFoundError/);
  });

  it('the same category failing 4 times stops after 3 retries', async () => {
    const w = world('rules:\n  - {outcome: fail, category: NCCL_ERROR, at_minute: 2}\n', TASK);
    const report = await w.run();
    expect(report.outcome).toBe('retries_exhausted');
    expect(report.attempts.map((a) => a.category)).toEqual(['NCCL_ERROR', 'NCCL_ERROR', 'NCCL_ERROR', 'NCCL_ERROR']);
    expect(report.reason).toMatch(/NCCL_ERROR failed 4 times; 3 retries is the limit/);
  });

  it('stops when the budget cannot cover another attempt', async () => {
    const w = world('rules:\n  - {outcome: fail, category: NCCL_ERROR, at_minute: 45}\n', TASK);
    const report = await w.run({ budget_usd: 5, hourly_rate_usd: 4 });
    expect(report.outcome).toBe('budget');
    expect(report.attempts).toHaveLength(1);
    expect(report.cost_usd).toBeCloseTo(3, 1);
    expect(report.reason).toMatch(/another attempt is expected to cost \$4\.00, past the \$5\.00 budget/);
  });

  it('a launch that never reached SkyPilot is settled by name in the queue and launched again: no attempt, no failure', async () => {
    const w = world('defaults: {duration: 20m}\nfaults:\n  - {command: launch, mode: api-unreachable, times: 1}\n', TASK);
    const report = await w.run();
    expect(report.outcome).toBe('succeeded');
    expect(report.attempts.map((a) => [a.job_id, a.status])).toEqual([[1, 'SUCCEEDED']]);
    const events = w.events();
    expect(events.filter((e) => e.type === 'launch_unknown')).toEqual([expect.objectContaining({ attempt: 1, job_name: 'train-a1', retry: 'relaunch', error: expect.stringMatching(/^ApiServerConnectionError/) })]);
    expect(events.map((e) => e.type).filter((t) => t.startsWith('sky_'))).toEqual(['sky_unavailable', 'sky_recovered']);
    expect(events.filter((e) => e.type === 'attempt_started')).toHaveLength(1);
  });

  it('resumes after a crash from the event log instead of starting over', async () => {
    const w = world(`defaults: {duration: 20m}
rules:
  - {match: {env: {BATCH_SIZE: "64"}}, outcome: fail, category: OOM_CUDA, at_minute: 3}
`, TASK);
    const settings = w.settings({ batch_size_env: 'BATCH_SIZE' });
    expect((await ralphStep(settings, w.ctx)).action).toBe('launched');
    // …the process dies here; a new one picks the run up.
    const report = await ralphRun(settings, w.ctx);
    expect(report.outcome).toBe('succeeded');
    expect(report.attempts.map((a) => a.job_id)).toEqual([1, 2]);
    expect(w.events().filter((e) => e.type === 'run_started')).toHaveLength(1);
    expect(existsSync(join(w.outputs, 'ralph', 'train', 'attempt-3.sky.yaml'))).toBe(false);
  });
});
