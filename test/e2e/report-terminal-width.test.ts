// The Markdown report as a person reads it on an 80-column terminal, made through `skyloop factorial report`
// on the 24-condition story (three batches, a kill switch, rebuilds, issues filed, a tracking run per
// attempt): no line is wider than 80 columns (link definitions aside), and nothing is lost on the way —
// every condition's grid cell, every cycle's cost and image, every run link, every accounted condition.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../mcp-server/src/store/experiment-store.js';
import { SKYLOOP, tempDir } from '../helpers/paths.js';
import { fakeGh } from '../report/fake-gh.js';
import { gridCells, logicalLines, section } from '../report/markdown-read.js';
import { withTracking } from '../report/report-fixture.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const LINK_DEFINITION = /^\[r\d+\]: \S+$/;
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

describe('skyloop factorial report on an 80-column terminal', () => {
  it('writes a report whose every line fits 80 columns and that still holds every condition, cost, image, run and issue', async () => {
    const m = withTracking('width', NOW);
    const outputsDir = tempDir('report-width');
    await new ExperimentStore(outputsDir, 'width').create(m, []);
    const gh = fakeGh();
    const r = await execa(SKYLOOP, ['factorial', 'report', 'width'], {
      reject: false,
      stdin: 'ignore',
      env: { SKYLOOP_OUTPUTS_DIR: outputsDir, PATH: gh.path, MLFLOW_TRACKING_URI: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const path = /^report: (.+)$/m.exec(r.stdout)![1]!;
    const md = readFileSync(path, 'utf8');

    const wide = md.split('\n').filter((l) => [...l].length > 80 && !LINK_DEFINITION.test(l));
    expect(wide).toEqual([]);
    const stored = new ExperimentStore(outputsDir, 'width').read();

    // The grid: a cell per condition, read through the column legend, with its outcome and deciding batch.
    const cells = gridCells(md);
    expect(cells.size).toBe(24);
    const categories = new Map(
      [...section(md, 'Factorial grid').matchAll(/\b([A-Z]) ([A-Z_]+)[,.]/g)].map((x) => [x[2]!, x[1]!]),
    );
    for (const j of stored.jobs) {
      const key = `${j.levels.model} · ${j.levels.loss} | calibration-${j.levels.calibration} · fold-${j.levels.fold}`;
      const last = j.attempts.at(-1)!;
      const symbol = last.status === 'SUCCEEDED' ? '✓' : `✗${categories.get(j.failure_category!)}`;
      expect(cells.get(key), j.condition).toBe(`${symbol}${last.batch > 0 ? SUPERSCRIPT[last.batch] : ''}`);
    }

    // Cost per cycle from the attempts, and the image each cycle ran (a pinned one as name and digest).
    const cost = logicalLines(section(md, 'Cost'));
    for (const b of stored.batches) {
      const attempts = stored.jobs.flatMap((j) => j.attempts.filter((a) => a.batch === b.batch));
      const usd = attempts.reduce((s, a) => s + a.cost_usd!, 0);
      const name = b.batch === 0 ? '0 (launch)' : String(b.batch);
      expect(cost).toContain(`| ${name} | ${attempts.length} | $${usd.toFixed(2)} |`);
      const [image, digest] = b.docker_image.split('@');
      expect(cost).toContain(`- ${name}: \`${image}\`${digest ? ` at digest \`${digest}\`` : ''}`);
    }

    // Every condition's latest run is linked from its line of the results.
    const results = logicalLines(md);
    for (const j of stored.jobs) {
      const url = j.attempts.at(-1)!.tracking!.run_url!;
      const ref = results.find((l) => l.endsWith(`]: ${url}`))?.match(/^\[(r\d+)\]/)?.[1];
      expect(ref, j.condition).toBeDefined();
      expect(results.find((l) => l.startsWith(`- \`${j.condition}\`: `)), j.condition).toContain(`][${ref}]`);
    }

    // The issues filed, and each condition that did not simply succeed, with how it is accounted for.
    expect(stored.issues.map((i) => i.url)).toEqual(['https://github.com/example/seg/issues/1', 'https://github.com/example/seg/issues/2']);
    const accounting = logicalLines(section(md, 'Accounting'));
    for (const j of stored.jobs.filter((x) => x.attempts.some((a) => a.status !== 'SUCCEEDED'))) {
      const line = accounting.find((l) => l.startsWith(`- \`${j.condition}\`: `));
      expect(line, j.condition).toMatch(/ · batch \d+ · (fixed|issue|reported): ./);
      const issue = stored.issues.find((i) => i.conditions.includes(j.condition));
      if (issue) expect(line).toContain(`issue: ${issue.action} <${issue.url}>`);
    }
    for (const i of stored.issues) expect(logicalLines(section(md, 'Issues filed')).join('\n')).toContain(`**${i.root_cause_id}** <${i.url}>`);
    // Wrapping keeps code spans closed within each paragraph or list item.
    for (const line of logicalLines(md)) expect((line.match(/`/g) ?? []).length % 2, line).toBe(0);
  }, 120_000);
});
