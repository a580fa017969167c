import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simWorld } from './simulator.js';
import { SKY_SIM, tempDir } from './paths.js';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';

export const TASK_YAML = `name: train
resources:
  accelerators: A100:1
  image_id: docker:ghcr.io/example/seg-train:v1
run: python -m train --model $MODEL --loss $LOSS --fold $FOLD
`;

export const EXPERIMENT_YAML = `experiment: seg
factors:
  model: [dynunet, sam3]
  loss: [dice_ce, cbdice]
  calibration: [false, true]
  fold: [0, 1, 2]
task: task.yaml
cost:
  hourly_rate_usd: 1.2
  expected_hours: 1
  budget_usd: 100
  approval_threshold_usd: 20
monitor:
  poll_interval_s: 1
`;

/**
 * sam3 + cbdice runs out of GPU memory 6 minutes into training. Folds 0 and 1 start first and fail
 * together; fold 2 waits 3 minutes longer for capacity, so it has not reached the failure point when
 * the kill switch looks at it. Everything else trains for 20 minutes and succeeds.
 */
export const SCENARIO_YAML = `defaults:
  duration: 20m
  startup: {pending: 30s, starting: 1m}
rules:
  - match: {env: {MODEL: sam3, LOSS: cbdice, FOLD: "2"}}
    outcome: fail
    category: OOM_CUDA
    at_minute: 6
    startup: {pending: 3m, starting: 1m}
  - match: {env: {MODEL: sam3, LOSS: cbdice}}
    outcome: fail
    category: OOM_CUDA
    at_minute: 6
`;

export function factorialWorld() {
  const dir = tempDir('factorial');
  const world = simWorld({ SKYLOOP_SIM_SCENARIO: join(dir, 'scenario.yaml') });
  writeFileSync(join(dir, 'task.yaml'), TASK_YAML);
  writeFileSync(join(dir, 'experiment.yaml'), EXPERIMENT_YAML);
  writeFileSync(join(dir, 'scenario.yaml'), SCENARIO_YAML);
  const outputs = join(dir, 'outputs');
  const env: Record<string, string> = { ...world.env, SKYLOOP_SKY_BIN: SKY_SIM, SKYLOOP_OUTPUTS_DIR: outputs };
  return {
    ...world,
    dir,
    env,
    config: join(dir, 'experiment.yaml'),
    manifestPath: join(outputs, 'factorial_manifest_seg.json'),
    eventsPath: join(outputs, 'factorial_events_seg.jsonl'),
    manifest: (): Manifest => JSON.parse(readFileSync(join(outputs, 'factorial_manifest_seg.json'), 'utf8')) as Manifest,
    events: (): { type: string; [k: string]: unknown }[] =>
      readFileSync(join(outputs, 'factorial_events_seg.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = probe();
      if (v) return v;
    } catch {
      /* not there yet */
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
