// The HTML report in a real browser (Debian's chromium, offline): it renders without a console error, every
// condition has a heatmap cell linking to its tracking run and its log excerpt, the colouring switches to
// the primary metric, the timeline has a bar per attempt with the kill-switch and relaunch marks, and text
// from job logs cannot inject markup.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateReport } from '../../mcp-server/src/report/generate-report.js';
import { ExperimentStore } from '../../mcp-server/src/store/experiment-store.js';
import { CHROMIUM_SKIP, HAS_CHROMIUM, visitInChromium } from '../helpers/chromium.js';
import { tempDir } from '../helpers/paths.js';
import { STORY, withTracking } from './report-fixture.js';

// These run in the page (the test's own tsconfig has no DOM library).
declare const getComputedStyle: (e: unknown) => { backgroundColor: string };

if (!HAS_CHROMIUM) console.warn(`html-report browser test skipped: ${CHROMIUM_SKIP}`);
const NOW = new Date('2025-06-01T12:00:00Z');
const INJECTED = '<img id="pwned" src="x" onerror="document.title=\'pwned\'">';

describe.skipIf(!HAS_CHROMIUM)(`the HTML report in chromium (${HAS_CHROMIUM ? '/usr/bin/chromium' : CHROMIUM_SKIP})`, () => {
  it('renders with no console error; each condition has a cell that links to its run and its log; the timeline shows every attempt', async () => {
    const m = withTracking('html', NOW);
    m.jobs.find((j) => j.condition === STORY.keyError)!.attempts[0]!.failure!.line = `KeyError: ${INJECTED}`;
    const outputsDir = tempDir('html-report');
    await new ExperimentStore(outputsDir, 'html').create(m, []);
    // env: {} and a configured server that is not running: the report uses what the manifest holds.
    const report = await generateReport('html', { outputsDir, now: () => NOW }, { fileIssues: false, env: {} });
    const attempts = m.jobs.reduce((s, j) => s + j.attempts.length, 0);

    const visit = await visitInChromium(report.html_path, 'factorial-report', async (page) => {
      const cells = await page.$$eval('td.cell', (tds) => tds.map((td) => ({ condition: td.getAttribute('data-condition'), run: td.querySelector('a.run')?.getAttribute('href') ?? null, log: td.querySelector('a.log')?.getAttribute('href') ?? null })));
      expect(cells.map((c) => c.condition).sort()).toEqual(m.jobs.map((j) => j.condition).sort());
      for (const c of cells) {
        const entry = m.jobs.find((j) => j.condition === c.condition)!;
        expect(c.run, c.condition!).toBe(entry.attempts.at(-1)!.tracking!.run_url);
      }
      // A cell's log link opens that condition's excerpt.
      const keyError = cells.find((c) => c.condition === STORY.keyError)!;
      await page.click(`td.cell[data-condition="${STORY.keyError}"] a.log`);
      expect(await page.$eval(keyError.log!, (d) => d.hasAttribute('open'))).toBe(true);
      expect(await page.textContent(keyError.log!)).toContain(`KeyError: ${INJECTED}`);
      expect(await page.$('#pwned')).toBeNull();
      expect(await page.title()).not.toBe('pwned');
      // Colour by the primary metric.
      const before = await page.$eval(`td.cell[data-condition="${STORY.keyError}"]`, (td) => getComputedStyle(td).backgroundColor);
      await page.check('input[name=colour][value=metric]');
      expect(await page.$eval('#grid', (t) => t.className)).toBe('grid by-metric');
      expect(await page.$eval(`td.cell[data-condition="${STORY.keyError}"]`, (td) => getComputedStyle(td).backgroundColor)).not.toBe(before);
      // One running bar per attempt that started; the kill switch and both relaunches are marked.
      expect(await page.$$eval('#timeline rect.run', (r) => r.length)).toBe(attempts);
      expect(await page.$$eval('#timeline line.ks', (l) => l.length)).toBe(1);
      expect(await page.$$eval('#timeline line.rl', (l) => l.length)).toBe(2);
      // The main-effects plot: one panel per factor, one mean per level.
      expect(await page.$$eval('#effects g.panel', (g) => g.map((x) => x.getAttribute('data-factor')))).toEqual(['model', 'loss', 'calibration', 'fold']);
      expect(await page.$$eval('#effects circle.mean', (c) => c.length)).toBe(9);
    });
    expect(visit.errors).toEqual([]);
    expect(statSync(visit.screenshot).size).toBeGreaterThan(10_000);
  }, 120_000);
});
