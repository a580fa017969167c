// The whole factorial loop through the real CLI against the real simulator process.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SKY_SIM as SKY_SIM_BIN, SKYLOOP } from '../helpers/paths.js';
import { factorialWorld, waitFor } from '../helpers/factorial-fixture.js';

describe('skyloop factorial (CLI, simulator)', () => {
  it('launches 24 conditions, fires the kill switch on the planted OOM, spares other configs, and watch exits when all are terminal', async () => {
    const w = factorialWorld();
    const skyloop = (args: string[]) => execa(SKYLOOP, args, { env: w.env, reject: false, stdin: 'ignore' });

    const refused = await skyloop(['factorial', 'launch', w.config]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/APPROVAL: estimated cost \$28\.80 \(24 conditions × 1 h × \$1\.2\/h × 1 node\(s\) = \$28\.80\) is above the approval threshold of \$20/);
    expect(refused.stderr).toMatch(/CLI: skyloop factorial launch .* --approve/);

    const launch = await skyloop(['factorial', 'launch', w.config, '--approve', '--json']);
    expect(launch.stderr).toBe('');
    expect(JSON.parse(launch.stdout)).toMatchObject({ experiment_id: 'seg', conditions: 24, launched: 24, failed: [] });

    const manifest = w.manifest();
    expect(manifest.jobs).toHaveLength(24);
    const ids = manifest.jobs.map((j) => j.job_id);
    expect(new Set(ids).size).toBe(24);
    const queue = JSON.parse((await skyloop(['queue', '--json'])).stdout) as { jobs: { job_id: number; job_name: string }[] };
    for (const j of manifest.jobs) {
      // Condition ↔ job by name, as recorded in the attempt.
      expect(queue.jobs.find((q) => q.job_id === j.job_id)?.job_name).toBe(j.attempts[0]?.job_name);
    }

    // A second launch changes nothing: it is idempotent.
    const again = JSON.parse((await skyloop(['factorial', 'launch', w.config, '--approve', '--json'])).stdout);
    expect(again).toMatchObject({ launched: 0, already_launched: 24 });

    const early = await skyloop(['factorial', 'diagnose', 'seg']);
    expect(early.exitCode).toBe(1);
    expect(early.stderr).toMatch(/F1 WAIT-FOR-TERMINAL: 24 job\(s\) of batch 0 are not terminal yet/);

    const watch = execa(SKYLOOP, ['factorial', 'watch', 'seg', '--interval', '0.1'], { env: w.env, reject: false, stdin: 'ignore' });
    await w.advance(8 * 60); // folds 0/1 of sam3+cbdice failed at 7.5 min; fold 2 has run 4 of its 6 minutes
    const firing = await waitFor('the kill switch', () => w.manifest().kill_switch[0]);
    expect(firing.common_levels).toEqual({ model: 'sam3', loss: 'cbdice' });
    expect(firing.failed_conditions.sort()).toEqual([
      'sam3/cbdice/calibration-false/fold-0', 'sam3/cbdice/calibration-false/fold-1',
      'sam3/cbdice/calibration-true/fold-0', 'sam3/cbdice/calibration-true/fold-1',
    ]);
    expect(firing.cancelled.sort()).toEqual(['sam3/cbdice/calibration-false/fold-2', 'sam3/cbdice/calibration-true/fold-2']);
    // The kill switch lets diagnosis start, never a relaunch while other jobs of the batch still run.
    const tooSoon = await skyloop(['factorial', 'relaunch', 'seg']);
    expect(tooSoon.exitCode).toBe(1);
    expect(tooSoon.stderr).toMatch(/F1 WAIT-FOR-TERMINAL: \d+ job\(s\) of batch 0 are not terminal yet/);

    await w.advance(24 * 3600);
    const done = await watch;
    expect(done.exitCode).toBe(1); // not all succeeded
    expect(done.stdout).toMatch(/⚡ kill switch fired: 4 jobs failed with the same fingerprint within 300 s/);

    const final = w.manifest();
    const byStatus = (s: string) => final.jobs.filter((j) => j.status === s).map((j) => j.condition);
    expect(byStatus('SUCCEEDED')).toHaveLength(18);
    expect(byStatus('FAILED')).toHaveLength(4);
    expect(byStatus('CANCELLED')).toEqual(['sam3/cbdice/calibration-false/fold-2', 'sam3/cbdice/calibration-true/fold-2']);
    expect(final.jobs.filter((j) => j.status === 'FAILED').every((j) => j.failure_category !== null && j.attempts[0]?.failure?.line?.includes('CUDA out of memory'))).toBe(true);
    expect(final.jobs.every((j) => (j.status === 'SUCCEEDED') === (j.cost_usd !== null && j.cost_usd > 0.3))).toBe(true);

    const events = w.events();
    expect(events.filter((e) => e.type === 'launched')).toHaveLength(24);
    expect(events.filter((e) => e.type === 'kill_switch' && e.fired)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'status_change' && e.to === 'SUCCEEDED')).toHaveLength(18);

    const diagnose = await skyloop(['factorial', 'diagnose', 'seg', '--json']);
    const aggregation = JSON.parse(diagnose.stdout);
    expect(aggregation).toMatchObject({ batch: 0, failed: 4, undiagnosed: [] });
    expect(aggregation.root_causes).toHaveLength(1);
    expect(aggregation.root_causes[0]).toMatchObject({
      root_cause_id: 'OOM_CUDA', confidence: 'high', pattern: 'model+loss-specific (model=sam3, loss=cbdice)',
      shared_levels: { model: 'sam3', loss: 'cbdice' },
    });
    expect(aggregation.root_causes[0].cancelled_by_kill_switch.sort()).toEqual(['sam3/cbdice/calibration-false/fold-2', 'sam3/cbdice/calibration-true/fold-2']);
    expect(w.manifest().aggregations).toHaveLength(1);
    expect(w.events().filter((e) => e.type === 'aggregation')).toHaveLength(1);
    const human = await skyloop(['factorial', 'diagnose', 'seg']);
    expect(human.stdout).toMatch(/^OOM_CUDA {2}4 job\(s\) {2}model\+loss-specific \(model=sam3, loss=cbdice\) {2}confidence high/m);

    const status = await skyloop(['factorial', 'status', 'seg']);
    expect(status.stdout).toMatch(/^seg {2}batch 0 {2}24\/24 terminal/);
    expect(status.stdout).toMatch(/18 SUCCEEDED │ 4 FAILED │ 2 CANCELLED/);
    expect(status.stdout.split('\n').filter((l) => l.startsWith('  ! '))).toHaveLength(4);
  });

  it('refuses a malformed config, naming file, line and field, and launches nothing', async () => {
    const w = factorialWorld();
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(w.config, readFileSync(w.config, 'utf8').replace('expected_hours: 1', 'expected_hours: soon'));
    const r = await execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve'], { env: w.env, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/experiment\.yaml:10: cost\.expected_hours: must be a number$/m);
    const q = await execa(SKYLOOP, ['queue', '--json'], { env: w.env });
    expect(JSON.parse(q.stdout).jobs).toEqual([]);
  });
});

describe('skyloop factorial launch when sky fails', () => {
  it('records every failed launch, goes on with the others, and launches them on a re-run', async () => {
    const w = factorialWorld();
    const run = (env: Record<string, string>) =>
      execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve', '--json'], { env, reject: false, stdin: 'ignore' });
    const down = await run({ ...w.env, SKYLOOP_SIM_FAULT: 'api-unreachable:launch' });
    expect(down.exitCode).toBe(1);
    const result = JSON.parse(down.stdout);
    expect(result).toMatchObject({ conditions: 24, launched: 0 });
    expect(result.failed).toHaveLength(24);
    expect(result.failed[0].error).toMatch(/jobs launch .* failed with exit code 1: sky\.exceptions\.\w+Error/);
    expect(w.manifest().jobs.every((j) => j.status === 'LAUNCH_FAILED' && j.attempts[0]?.launch_error)).toBe(true);

    const up = await run(w.env);
    expect(up.exitCode).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ launched: 24, failed: [] });
    expect(w.manifest().jobs.every((j) => j.attempts.length === 1 && j.job_id !== null)).toBe(true);
    expect(w.events().filter((e) => e.type === 'launch_failed')).toHaveLength(24);
  });
});

describe('skyloop factorial launch without an hourly rate in the config', () => {
  it("prices the grid at the cheapest catalog offer for the task's accelerator (sky gpus list)", async () => {
    const w = factorialWorld();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { parseGpuTable } = await import('../../mcp-server/src/preflight/gpu-availability.js');
    writeFileSync(w.config, readFileSync(w.config, 'utf8').replace('  hourly_rate_usd: 1.2\n', '').replace('budget_usd: 100', 'budget_usd: 1000'));
    const r = await execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve', '--json'], { env: w.env, reject: false });
    expect(r.stderr).toBe('');
    const offers = parseGpuTable((await execa(SKY_SIM_BIN, ['gpus', 'list', 'A100:1'], { env: w.env })).stdout);
    const cheapest = Math.min(...offers.map((o) => o.hourly_price).filter((p): p is number => p !== null));
    expect(cheapest).toBeGreaterThan(0);
    expect(w.manifest().hourly_rate_usd).toBe(cheapest);
    expect(JSON.parse(r.stdout).estimated_cost_usd).toBeCloseTo(24 * 1 * cheapest, 2);
  });
});
