#!/usr/bin/env node
// npm run eval:diagnosis — the diagnosis engine measured on the labelled corpus (eval/diagnosis/cases), on
// both halves: accuracy, per-category precision/recall, confusion pairs, accuracy at each confidence level and
// the time per MB. The test half is the number that counts; tune only on the dev half (--misses lists the
// dev half's misses; --misses=test exists for the final check only). --json prints the numbers as JSON;
// --engine=DIR measures the build in another checkout (DIR/dist and DIR/instructions) on the same corpus.
// --blind prints only the test half's totals (accuracy, high-confidence precision), so that tuning on the dev
// half never shows which test cases or categories are missed.
// Ablations of the vocabulary fallback (diagnosis/vocabulary-fallback.ts): --no-fallback measures the engine
// without it (needles, exit codes and statuses only); --fallback-only measures only the logs whose answer the
// fallback gave (how often its guesses are right), with --blind still totals only for the test half.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCases, logsOf } from './corpus.js';

const args = process.argv.slice(2);
// --engine DIR measures another checkout's build (DIR/dist, DIR/instructions), e.g. the engine before a change.
const engineArg = args.find((a) => a.startsWith('--engine='));
const root = engineArg ? resolve(engineArg.split('=')[1]) : resolve(new URL('../..', import.meta.url).pathname);
const { analyzeText } = await import(pathToFileURL(join(root, 'dist/diagnosis/analyze-log.js')).href);
const { loadPatternLibrary } = await import(pathToFileURL(join(root, 'dist/diagnosis/pattern-library.js')).href);
const json = args.includes('--json');
const missesArg = args.find((a) => a.startsWith('--misses'));
const showMisses = missesArg ? (missesArg.split('=')[1] ?? 'dev') : null;
const blind = args.includes('--blind');
if (blind && showMisses === 'test') throw new Error('--blind and --misses=test contradict each other');
const noFallback = args.includes('--no-fallback');
const fallbackOnly = args.includes('--fallback-only');
if (noFallback && fallbackOnly) throw new Error('--no-fallback and --fallback-only contradict each other');
// The fallback's answers say so in their reason (VOCABULARY_REASON in vocabulary-fallback.ts).
const BY_FALLBACK = /^no specific pattern matched; the wording of /;

const loaded = loadPatternLibrary(join(root, 'instructions', 'failure-patterns.yaml'));
const library = noFallback ? { ...loaded, vocabulary: [] } : loaded;
const rows = [];
for (const c of loadCases()) {
  for (const log of logsOf(c)) {
    const t0 = performance.now();
    const r = analyzeText(log.text, library, { status: c.status ?? null });
    const ms = performance.now() - t0;
    if (fallbackOnly && !BY_FALLBACK.test(r.confidence_reason)) continue;
    rows.push({ name: log.name, split: c.split, label: c.label, got: r.category, confidence: r.confidence, reason: r.confidence_reason, ms, bytes: Buffer.byteLength(log.text), source: c.source });
  }
}

function summary(rs) {
  const n = rs.length;
  const ok = rs.filter((r) => r.got === r.label).length;
  const labels = [...new Set([...rs.map((r) => r.label), ...rs.map((r) => r.got)])].sort();
  const perCategory = Object.fromEntries(labels.map((l) => {
    const predicted = rs.filter((r) => r.got === l);
    const actual = rs.filter((r) => r.label === l);
    const tp = predicted.filter((r) => r.label === l).length;
    return [l, { support: actual.length, predicted: predicted.length, precision: predicted.length ? tp / predicted.length : null, recall: actual.length ? tp / actual.length : null }];
  }));
  const pairs = new Map();
  for (const r of rs.filter((x) => x.got !== x.label)) pairs.set(`${r.label} -> ${r.got}`, (pairs.get(`${r.label} -> ${r.got}`) ?? 0) + 1);
  const byConfidence = Object.fromEntries(['high', 'medium', 'low'].map((lv) => {
    const at = rs.filter((r) => r.confidence === lv);
    return [lv, { n: at.length, correct: at.filter((r) => r.got === r.label).length, accuracy: at.length ? at.filter((r) => r.got === r.label).length / at.length : null }];
  }));
  const mb = rs.reduce((s, r) => s + r.bytes, 0) / 1024 ** 2;
  const ms = rs.reduce((s, r) => s + r.ms, 0);
  return { logs: n, correct: ok, accuracy: n ? ok / n : null, high_precision: byConfidence.high.accuracy, by_confidence: byConfidence, per_category: perCategory, confusion: [...pairs.entries()].sort((a, b) => b[1] - a[1]), mb, ms_per_mb: mb ? ms / mb : null };
}

const halves = { dev: summary(rows.filter((r) => r.split === 'dev')), test: summary(rows.filter((r) => r.split === 'test')) };
if (blind) {
  const { logs, correct, accuracy, high_precision, by_confidence } = halves.test;
  halves.test = { logs, correct, accuracy, high_precision, high: by_confidence.high };
}
if (json) {
  console.log(JSON.stringify(halves, null, 2));
} else {
  const pct = (x) => (x === null ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)}%`);
  for (const [half, s] of Object.entries(halves)) {
    console.log(`\n== ${half} half${half === 'test' ? ' (the number that counts)' : ''}: ${s.logs} logs${s.mb === undefined ? '' : `, ${s.mb.toFixed(1)} MB`} ==`);
    if (!s.by_confidence) {
      console.log(`accuracy ${pct(s.accuracy)} (${s.correct}/${s.logs})   high-confidence precision ${pct(s.high_precision)} (${s.high.correct}/${s.high.n})   (--blind: nothing else shown)`);
      continue;
    }
    console.log(`accuracy ${pct(s.accuracy)} (${s.correct}/${s.logs})   high-confidence precision ${pct(s.high_precision)}   ${s.ms_per_mb.toFixed(1)} ms/MB`);
    console.log(`by confidence: ${Object.entries(s.by_confidence).map(([lv, v]) => `${lv} ${v.correct}/${v.n} ${pct(v.accuracy)}`).join('   ')}`);
    console.log('category                 support  predicted  precision  recall');
    for (const [l, v] of Object.entries(s.per_category)) console.log(`${l.padEnd(24)} ${String(v.support).padStart(7)} ${String(v.predicted).padStart(10)}   ${pct(v.precision)}   ${pct(v.recall)}`);
    if (s.confusion.length) console.log(`confusion (label -> got): ${s.confusion.map(([p, k]) => `${p} ×${k}`).join('; ')}`);
  }
  if (showMisses) {
    console.log(`\nmisses on the ${showMisses} half:`);
    for (const r of rows.filter((x) => x.split === showMisses && x.got !== x.label)) console.log(`  ${r.name}: ${r.label} -> ${r.got} (${r.confidence}: ${r.reason})`);
  }
}
