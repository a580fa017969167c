// `npm run demo` is the product's main story; the suite runs the same script (faster simulated clock) and
// checks what a user would: the kill switch, F3 holding, a verified rebuild, a relaunch of only the
// failures on the pinned digest, 23/24 succeeded, a report that accounts for everything, an issue draft.
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';
import { REPO, tempDir } from '../helpers/paths.js';

describe('npm run demo: the whole story', () => {
  it('launch 24 → kill switch → aggregate → fix → rebuild → relaunch failures only → report + issue draft', async () => {
    const dir = tempDir('demo');
    const r = await execa(process.execPath, [join(REPO, 'demo', 'run-demo.js')], {
      env: { SKYLOOP_DEMO_DIR: dir, SKYLOOP_SIM_SPEED: '100', SKYLOOP_DEMO_INTERVAL: '0.5' },
      reject: false,
      stdin: 'ignore',
      all: true,
    });
    expect(r.stderr).not.toMatch(/demo: skyloop/);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/⚡ kill switch fired: \d jobs failed with the same fingerprint within 600 s/);
    expect(r.all).toMatch(/F3 REBUILD-BEFORE-RELAUNCH: nothing changed since batch 0 launched/);
    expect(r.stdout).toMatch(/rebuild #1 after batch 0: verified docker:127\.0\.0\.1:\d+\/seg-train:v1 = sha256:[0-9a-f]{64}/);

    const outputs = join(dir, 'outputs');
    const m = JSON.parse(readFileSync(join(outputs, 'factorial_manifest_seg-losses.json'), 'utf8')) as Manifest;
    expect(m.jobs).toHaveLength(24);
    expect(m.kill_switch).toHaveLength(1);
    expect(m.kill_switch[0]?.common_levels).toEqual({ model: 'sam3', loss: 'cbdice' });
    expect(m.rebuilds.map((b) => b.verified)).toEqual([true]);
    expect(m.batches.map((b) => b.batch)).toEqual([0, 1]);
    const relaunched = m.batches[1]!;
    expect(relaunched.docker_image).toBe(m.rebuilds[0]!.image.replace(/:v1$/, `@${m.rebuilds[0]!.digest}`));
    // Only what failed or was cancelled in batch 0 ran again.
    const batch0Bad = m.jobs.filter((j) => j.attempts[0]!.status !== 'SUCCEEDED').map((j) => j.condition).sort();
    expect([...relaunched.conditions].sort()).toEqual(batch0Bad);
    expect(m.jobs.filter((j) => j.attempts[0]!.status === 'SUCCEEDED').every((j) => j.attempts.length === 1)).toBe(true);

    expect(m.jobs.filter((j) => j.status === 'SUCCEEDED')).toHaveLength(23);
    expect(m.jobs.filter((j) => j.status !== 'SUCCEEDED').map((j) => [j.condition, j.status, j.failure_category])).toEqual([
      ['dynunet/dice_ce/calibration-true/fold-2', 'FAILED', 'DATA_MISSING'],
    ]);

    const report = readFileSync(join(outputs, 'factorial_report_seg-losses.md'), 'utf8');
    expect(report).toMatch(/OOM_CUDA/);
    expect(report).toMatch(/DATA_MISSING/);
    expect(report).toContain('dynunet/dice_ce/calibration-true/fold-2');
    const runLines = readFileSync(join(outputs, 'factorial_run_seg-losses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(runLines).toHaveLength(25);
    expect(runLines.at(-1)).toMatchObject({ type: 'summary' });
    const drafts = readdirSync(join(outputs, 'issues'));
    expect(drafts).toEqual([expect.stringMatching(/^seg-losses-DATA_MISSING-[0-9a-f]{8}\.md$/)]);
    expect(m.issues).toEqual([expect.objectContaining({ root_cause_id: 'DATA_MISSING', action: 'draft' })]);
    expect(existsSync(join(outputs, 'rebuild_seg-losses_1.log'))).toBe(true);
  }, 180_000);
});
