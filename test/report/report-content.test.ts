import { describe, expect, it } from 'vitest';
import { isFailure } from '../../mcp-server/src/sky/job-status.js';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';
import { renderMarkdownReport } from '../../mcp-server/src/report/markdown-report.js';
import { buildReportModel } from '../../mcp-server/src/report/report-model.js';
import { renderRunJsonl } from '../../mcp-server/src/report/run-jsonl.js';
import { levelText } from '../../mcp-server/src/report/results-analysis.js';
import { gridCells, logicalLines, section } from './markdown-read.js';
import { cond, fullStory, mixedBatch0, newManifest, OOM, SECRET_AWS, SECRET_HF, STORY } from './report-fixture.js';

const NOW = new Date('2025-06-01T12:00:00Z');

/** condition → [outcome, accounted for as, detail] from the Accounting list. */
function accountingRows(md: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of logicalLines(section(md, 'Accounting'))) {
    const m = line.match(/^- `([^`]+)`: (.+?) · (?:batch \d+|no batch) · (\w+): (.*)$/);
    if (m) rows.set(m[1]!, [m[2]!, m[3]!, m[4]!]);
  }
  return rows;
}

/** Read straight from the manifest, independently of the report code: conditions that did not simply succeed. */
function notSimplySucceeded(m: Manifest): string[] {
  return m.jobs
    .filter((j) => j.attempts.length === 0 || j.attempts.some((a) => a.status !== 'SUCCEEDED'))
    .map((j) => j.condition);
}

const COLUMNS = ['calibration-false · fold-0', 'calibration-false · fold-1', 'calibration-false · fold-2', 'calibration-true · fold-0', 'calibration-true · fold-1', 'calibration-true · fold-2'];
function gridRow(md: string, label: string): string[] {
  const cells = gridCells(md);
  return COLUMNS.map((c) => cells.get(`${label} | ${c}`) ?? 'absent');
}

describe('markdown report', () => {
  const m = fullStory();
  const md = renderMarkdownReport(buildReportModel(m), NOW);

  it('gives totals, percentages and the relaunch cycles', () => {
    const results = section(md, 'Results');
    expect(results).toContain('| Succeeded | 22 | 91.7% |');
    expect(results).toContain('| Failed | 2 | 8.3% |');
    expect(results).toContain('| Cancelled | 0 | 0.0% |');
    expect(results).toContain('| Never launched | 0 | 0.0% |');
    expect(results).toContain('| **Total** | **24** | 100% |');
    expect(results).toContain('Relaunch cycles used: 2 of 2 allowed, none left (F4).');
  });

  it('gives the cost per cycle and in total', () => {
    const cost = section(md, 'Cost');
    expect(cost).toContain('| 0 (launch) | 24 | $7.00 |');
    expect(cost).toContain('| 1 | 8 | $2.56 |');
    expect(cost).toContain('| 2 | 2 | $0.16 |');
    expect(cost).toContain('| **Total** | **34** | **$9.72** |');
    expect(cost).toContain('Budget $100.00, estimated $28.80.');
    expect(logicalLines(cost)).toContain(`- 1: \`docker:ghcr.io/example/seg-train\` at digest \`sha256:${'1'.repeat(64)}\``);
  });

  it('draws the grid: rows model × loss, columns calibration × fold numbered, the deciding batch as a superscript', () => {
    const grid = section(md, 'Factorial grid');
    expect(grid).toContain('Columns (calibration × fold):\n\n- 1: calibration-false · fold-0\n');
    expect(grid).toContain('| model × loss      | 1   | 2   | 3   | 4   | 5   | 6   |');
    expect(grid).toContain('Failure categories: A DATA_MISSING, B OOM_CUDA.');
    expect(gridRow(md, 'dynunet · cbdice')).toEqual(['✓', '✓', '✓', '✓', '✓', '✓']);
    expect(gridRow(md, 'dynunet · dice_ce')).toEqual(['✓', '✓', '✓', '✓', '✓', '✓¹']);
    expect(gridRow(md, 'sam3 · dice_ce')).toEqual(['✓', '✓', '✗A²', '✓', '✓', '✓']);
    expect(gridRow(md, 'sam3 · cbdice')).toEqual(['✓¹', '✓¹', '✓¹', '✗B²', '✓¹', '✓¹']);
  });

  it('shows each root cause per batch with the fix attempted and whether the relaunch worked', () => {
    const causes = section(md, 'Root causes per batch');
    const batch0 = logicalLines(causes.slice(causes.indexOf('### Batch 0'), causes.indexOf('### Batch 1'))).join('\n');
    expect(batch0).toContain('**OOM_CUDA**: 4 condition(s) failed, 2 cancelled by the kill switch · model+loss-specific (model=sam3, loss=cbdice) · fixability auto');
    expect(batch0).toMatch(/Fix attempted: rebuild #1 from commit abc1def00000, image `docker:ghcr.io\/example\/seg-train:v2`, digest `sha256:1{64}`: verified/);
    expect(batch0).toContain('Outcome: 6 relaunched in batch 1: 5 succeeded, 1 failed again (1 with the same cause)');
    expect(batch0).toContain('Outcome: 1 relaunched in batch 1: 1 succeeded');
    const batch1 = logicalLines(causes.slice(causes.indexOf('### Batch 1'), causes.indexOf('### Batch 2'))).join('\n');
    expect(batch1).toContain('rebuild #2 from commit abc2def00000, image `docker:ghcr.io/example/seg-train:v3`: NOT verified (step test exited 1)');
  });

  it('recommends per remaining cause, from its fix strategy and the F4 state', () => {
    const recs = logicalLines(section(md, 'Recommendations')).join('\n');
    expect(recs).toMatch(/Fix the upstream dependency behind DATA_MISSING/);
    expect(recs).toMatch(/Redesign the experiment: conditions with model=sam3, loss=cbdice, calibration=true, fold=0 keep failing with OOM_CUDA/);
    expect(recs).toMatch(/Authorize more cycles with a budget cap: the 2 allowed relaunch cycle\(s\) are used up \(F4\)\. Relaunching 1 condition\(s\) is estimated at \$1\.20; authorize max_cycles 3/);
    expect(recs).toContain('Halve the batch size');
  });

  it('redacts: no planted secret anywhere, and code spans stay closed', () => {
    for (const text of [md, renderRunJsonl(buildReportModel(m), NOW)]) {
      expect(text).not.toContain(SECRET_HF);
      expect(text).not.toContain(SECRET_AWS);
    }
    for (const line of logicalLines(md)) expect((line.match(/`/g) ?? []).length % 2, line).toBe(0);
  });

  it('accounts for the fixed ones and lists the ones still failing as reported until issues are filed', () => {
    const rows = accountingRows(md);
    expect([...rows.keys()].sort()).toEqual(notSimplySucceeded(m).sort());
    expect(rows.get(STORY.keyError)).toEqual(['succeeded', 'fixed', 'fixed and relaunched: batch 0 PYTHON_EXCEPTION → succeeded in batch 1']);
    expect(rows.get(cond('sam3', 'cbdice', true, 1))?.[2]).toBe('fixed and relaunched: batch 0 cancelled by the kill switch → succeeded in batch 1');
    expect(rows.get(STORY.stubborn)?.slice(0, 2)).toEqual(['failed (OOM_CUDA)', 'reported']);
    expect(rows.get(STORY.stubborn)?.[2]).toMatch(/still failing after relaunch cycle 2, the last one allowed .*; no issue filed yet/);
  });
});

describe('every failed condition is accounted for', () => {
  it('over a batch with every kind of outcome, none is silently dismissed', () => {
    const m = mixedBatch0();
    const model = buildReportModel(m);
    const md = renderMarkdownReport(model, NOW);
    const rows = accountingRows(md);
    const expected = notSimplySucceeded(m);
    expect(expected.length).toBe(11);
    expect([...rows.keys()].sort()).toEqual(expected.sort());
    for (const c of expected) {
      const [, kind, detail] = rows.get(c)!;
      expect(['fixed', 'issue', 'reported'], c).toContain(kind);
      expect(detail!.length, c).toBeGreaterThan(10);
    }
    // Every failure of the manifest (FAILED*, launch failures) is in the accounting with its cause.
    for (const j of m.jobs.filter((x) => x.status === 'LAUNCH_FAILED' || isFailure(x.status))) {
      expect(rows.get(j.condition)?.[0], j.condition).toMatch(/^failed \(/);
    }
    expect(rows.get(cond('dynunet', 'dice_ce', false, 0))).toEqual(['never launched', 'reported', 'never launched']);
    expect(rows.get(cond('dynunet', 'dice_ce', false, 1))?.[0]).toBe('failed (LAUNCH_FAILED)');
    expect(rows.get(cond('dynunet', 'cbdice', false, 2))?.[0]).toBe('failed (UNDIAGNOSED)');
    expect(rows.get(cond('dynunet', 'cbdice', true, 2))?.[2]).toBe("cancelled in batch 0, not by skyloop's kill switch");
    expect(rows.get(cond('sam3', 'cbdice', true, 0))?.[2]).toMatch(/^cancelled by the kill switch in batch 0: relaunch cycle 1 of 2 is still available/);
    expect(rows.get(cond('sam3', 'cbdice', true, 2))).toEqual(['still running', 'reported', 'still running in batch 0 (status RUNNING)']);

    // The kill-switch cancellations belong to the failure that fired it; the JSONL says the same per line.
    expect(model.remaining.find((g) => g.fingerprint === OOM.fingerprint)?.cancelled).toEqual([cond('sam3', 'cbdice', true, 0), cond('sam3', 'cbdice', true, 1)]);
    const lines = renderRunJsonl(model, NOW).trim().split('\n').map((l) => JSON.parse(l));
    for (const l of lines.slice(0, -1)) {
      expect(['succeeded', 'fixed', 'issue', 'reported']).toContain(l.disposition);
      if (expected.includes(l.condition)) expect(l.disposition).not.toBe('succeeded');
    }
    expect(lines.at(-1).accounting).toEqual({ succeeded: 13, fixed: 0, issue: 0, reported: 11 });
    expect(section(md, 'Results')).toContain('| Still running | 1 | 4.2% |');
    expect(gridRow(md, 'dynunet · dice_ce').slice(0, 2)).toEqual(['·', '✗B']);
    expect(gridRow(md, 'sam3 · cbdice')).toEqual(['✗C', '✗C', '✗C', '⊘', '⊘', '…']);
    expect(logicalLines(section(md, 'Recommendations')).join('\n')).toMatch(/Fix OOM_CUDA, rebuild and verify the image when the code changed \(F3\), then relaunch: cycle 1 of 2 is available/);
  });
});

describe('run JSONL', () => {
  it('has one line per condition with its attempt history, and the summary last', () => {
    const m = fullStory();
    const lines = renderRunJsonl(buildReportModel(m), NOW).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(25);
    const stubborn = lines.find((l) => l.condition === STORY.stubborn);
    expect(stubborn).toMatchObject({ type: 'condition', schema_version: 1, experiment_id: 'seg', levels: { model: 'sam3', loss: 'cbdice', calibration: true, fold: 0 }, outcome: 'failed', decided_batch: 2, status: 'FAILED' });
    expect(stubborn.job_ids).toHaveLength(3);
    expect(stubborn.attempts.map((a: { batch: number; failure_category: string; failure_root_cause: string }) => [a.batch, a.failure_category, a.failure_root_cause])).toEqual([
      [0, 'OOM_CUDA', 'OOM_CUDA'],
      [1, 'OOM_CUDA', 'OOM_CUDA'],
      [2, 'OOM_CUDA', 'OOM_CUDA'],
    ]);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({
      type: 'summary',
      totals: { conditions: 24, succeeded: 22, failed: 2, cancelled: 0, not_launched: 0, running: 0 },
      percentages: { succeeded: 91.7, failed: 8.3 },
      cycles: { current: 2, limit: 2, exhausted: true },
      cost: { per_cycle: [{ batch: 0, jobs: 24, cost_usd: 7 }, { batch: 1, jobs: 8, cost_usd: 2.56 }, { batch: 2, jobs: 2, cost_usd: 0.16 }], total_usd: 9.72 },
      accounting: { succeeded: 16, fixed: 6, issue: 0, reported: 2 },
    });
    expect(summary.root_causes[0]).toMatchObject({ batch: 0, root_cause_id: 'OOM_CUDA', outcome: { relaunched: 6, succeeded: 5, failed_again: 1 } });
    expect(summary.remaining_failures.map((r: { root_cause_id: string; fileable: boolean }) => [r.root_cause_id, r.fileable])).toEqual([['DATA_MISSING', true], ['OOM_CUDA', true]]);
  });
});

describe('a grid too wide for one table', () => {
  it('numbers its columns and splits them over tables of at most 80 columns, every condition in one of them', () => {
    const factors = { model: ['dynunet', 'sam3', 'unetr'], loss: ['dice_ce', 'cbdice'], lr: ['1e-4', '3e-4', '1e-3', '3e-3'], seed: [0, 1, 2, 3, 4] };
    const m = newManifest('wide', 2, factors);
    const md = renderMarkdownReport(buildReportModel(m), NOW);
    expect(md.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
    const grid = section(md, 'Factorial grid');
    expect(grid.match(/^\| model × loss /gm)!.length).toBeGreaterThan(1);
    const cells = gridCells(md);
    expect(cells.size).toBe(m.jobs.length);
    for (const j of m.jobs) {
      const text = (f: string) => levelText(f, j.levels[f]!);
      expect(cells.get(`${text('model')} · ${text('loss')} | ${text('lr')} · ${text('seed')}`), j.condition).toBe('·');
    }
  });
});
