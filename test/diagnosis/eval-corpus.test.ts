// The evaluation corpus (eval/diagnosis) is data: every case names its real source, a known label and why;
// the dev/test split is a fixed function of the source; `npm run eval:diagnosis` runs and reports both halves.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPatternLibrary } from '../../mcp-server/src/diagnosis/pattern-library.js';
// @ts-expect-error plain JavaScript module without types
import { loadCases, logsOf, splitOf } from '../../eval/diagnosis/corpus.js';

interface Case { id: string; label: string; source: string; before_source?: string; guard_source?: string; setup_before?: string; why: string; split: string; file: string }
const cases = loadCases() as Case[];
const library = loadPatternLibrary();
const SOURCE = /^(https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+|[\w./-]+@[\w.-]+\/[\w.-]+)$/;

describe('the diagnosis evaluation corpus', () => {
  it('has at least 200 logs, each case with a real source, a known label and a reason', () => {
    expect(cases.flatMap((c) => logsOf(c)).length).toBeGreaterThanOrEqual(200);
    for (const c of cases) {
      expect(c.source, c.id).toMatch(SOURCE);
      if (c.before_source) expect(c.before_source, c.id).toMatch(SOURCE);
      // A guarded setup failure names where its text and its guard come from.
      if (c.setup_before) expect([c.before_source, c.guard_source], c.id).toEqual([expect.stringMatching(SOURCE), expect.stringMatching(SOURCE)]);
      expect(library.byName.has(c.label), `${c.file}: ${c.id} label ${c.label}`).toBe(true);
      expect(c.why.length, c.id).toBeGreaterThan(10);
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('splits by source, fixed: the same report always lands in the same half, and both halves are substantial', () => {
    expect(splitOf('https://github.com/pytorch/pytorch/issues/16417')).toBe(splitOf('https://github.com/pytorch/pytorch/issues/16417'));
    for (const c of cases) expect(c.split).toBe(splitOf(c.source));
    const dev = cases.filter((c) => c.split === 'dev').length;
    expect(dev).toBeGreaterThan(cases.length / 3);
    expect(cases.length - dev).toBeGreaterThan(cases.length / 3);
  });

  it('wraps the key text without losing it', () => {
    for (const c of cases) for (const log of logsOf(c)) for (const line of (c as unknown as { key: string }).key.split('\n').filter((l) => l.trim())) expect(log.text, c.id).toContain(line.trim());
  });

  it('--blind shows the test half as totals only: no per-category numbers, confusion pairs or misses', () => {
    const out = execFileSync(process.execPath, [fileURLToPath(new URL('../../eval/diagnosis/run-eval.js', import.meta.url)), '--blind', '--json'], { encoding: 'utf8' });
    const halves = JSON.parse(out) as Record<string, Record<string, unknown>>;
    expect(Object.keys(halves.test!).sort()).toEqual(['accuracy', 'correct', 'high', 'high_precision', 'logs']);
    expect(halves.dev!.confusion).toBeDefined();
  });

  it('--no-fallback and --fallback-only measure the engine without the vocabulary fallback and the fallback alone', () => {
    const run = (flag: string) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(new URL('../../eval/diagnosis/run-eval.js', import.meta.url)), '--blind', '--json', flag], { encoding: 'utf8' })) as Record<string, { logs: number; high: { n: number } }>;
    const all = run('--blind');
    const only = run('--fallback-only');
    const without = run('--no-fallback');
    expect(without.test!.logs).toBe(all.test!.logs);
    // The fallback answers some logs and never says high.
    expect(only.dev!.logs + only.test!.logs).toBeGreaterThan(0);
    expect(only.dev!.logs).toBeLessThan(all.dev!.logs);
    expect(only.test!.high.n).toBe(0);
  });

  it('npm run eval:diagnosis reports accuracy, confidence levels and time per MB on both halves', () => {
    const out = execFileSync(process.execPath, [fileURLToPath(new URL('../../eval/diagnosis/run-eval.js', import.meta.url)), '--json'], { encoding: 'utf8' });
    const halves = JSON.parse(out) as Record<string, { logs: number; accuracy: number; by_confidence: Record<string, { n: number }>; ms_per_mb: number; per_category: object }>;
    for (const half of ['dev', 'test']) {
      expect(halves[half]!.logs).toBeGreaterThan(50);
      expect(halves[half]!.accuracy).toBeGreaterThanOrEqual(0);
      expect(Object.keys(halves[half]!.by_confidence)).toEqual(['high', 'medium', 'low']);
      expect(halves[half]!.ms_per_mb).toBeGreaterThan(0);
    }
  });
});
