// `npm run demo` is the product's main story; the suite runs the same script (faster simulated clock) and
// checks what a user would: the kill switch, F3 holding, a verified rebuild, a relaunch of only the
// failures on the pinned digest, 23/24 succeeded, a report that accounts for everything, an issue draft.
// With a real MLflow server (scripts/install-mlflow.sh) the simulated training code logs to it, and the
// report's results are checked against MLflow's own API and in a real browser.
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';
import { CHROMIUM_SKIP, HAS_CHROMIUM, visitInChromium } from '../helpers/chromium.js';
import { MLFLOW_SKIP, MLFLOW_VENV, startMlflowServer, type MlflowServer } from '../helpers/mlflow-server.js';
import { REPO, tempDir } from '../helpers/paths.js';
import { checkDemoResults } from './demo-results.js';

if (!MLFLOW_VENV) console.warn(`demo without training results: ${MLFLOW_SKIP}`);
if (!HAS_CHROMIUM) console.warn(`demo report not opened in a browser: ${CHROMIUM_SKIP}`);

describe(`npm run demo: the whole story (${MLFLOW_VENV ? 'with a real MLflow server' : `no results: ${MLFLOW_SKIP}`})`, () => {
  let mlflow: MlflowServer | undefined;
  beforeAll(async () => {
    if (MLFLOW_VENV) mlflow = await startMlflowServer(MLFLOW_VENV);
  }, 300_000);
  afterAll(async () => {
    await mlflow?.stop();
  }, 30_000);

  it('launch 24 → kill switch → aggregate → fix → rebuild → relaunch failures only → report + issue draft', async () => {
    const dir = tempDir('demo');
    const r = await execa(process.execPath, [join(REPO, 'demo', 'run-demo.js')], {
      // Without MLflow the demo must not find one of its own either: an empty venv directory.
      env: mlflow
        ? { SKYLOOP_DEMO_DIR: dir, SKYLOOP_SIM_SPEED: '100', SKYLOOP_DEMO_INTERVAL: '0.5', MLFLOW_TRACKING_URI: mlflow.uri }
        : { SKYLOOP_DEMO_DIR: dir, SKYLOOP_SIM_SPEED: '100', SKYLOOP_DEMO_INTERVAL: '0.5', MLFLOW_TRACKING_URI: '', SKYLOOP_VENV_DIR: tempDir('no-venvs') },
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
    // Only what failed or was cancelled in batch 0 ran again, except what cannot succeed without a change
    // (the missing data: the pattern library marks it unrecoverable, so relaunch skips it by default).
    const batch0Bad = m.jobs
      .filter((j) => j.attempts[0]!.status !== 'SUCCEEDED' && j.attempts[0]!.failure?.fixability !== 'unrecoverable')
      .map((j) => j.condition)
      .sort();
    expect(batch0Bad).toHaveLength(6);
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

    if (!mlflow) {
      expect(r.stdout).toMatch(/No MLflow tracking server, so the report has no training results: run scripts\/install-mlflow\.sh/);
      expect(report.match(/No tracking results: no tracking server configured/g)).toHaveLength(1);
      return;
    }
    await checkDemoResults(mlflow.uri, outputs, report);
    if (HAS_CHROMIUM) {
      const html = join(outputs, 'factorial_report_seg-losses.html');
      const visit = await visitInChromium(html, 'demo-report', async (page) => {
        const cells = await page.$$eval('td.cell', (tds) => tds.map((td) => [td.getAttribute('data-condition'), td.querySelector('a.run')?.getAttribute('href') ?? null]));
        expect(cells.map((c) => c[0]).sort()).toEqual(m.jobs.map((j) => j.condition).sort());
        for (const [condition, href] of cells) expect(href, condition!).toBe(m.jobs.find((j) => j.condition === condition)!.attempts.at(-1)!.tracking?.run_url ?? null);
      });
      expect(visit.errors).toEqual([]);
    }
  }, 600_000);
});
