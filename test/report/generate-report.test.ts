import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../mcp-server/src/store/experiment-store.js';
import { generateReport } from '../../mcp-server/src/report/generate-report.js';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';
import { tempDir } from '../helpers/paths.js';
import { fakeGh } from './fake-gh.js';
import { logicalLines } from './markdown-read.js';
import { fullStory, mixedBatch0, SECRET_AWS, SECRET_HF, STORY } from './report-fixture.js';

const NOW = new Date('2025-06-01T12:00:00Z');

async function stored(manifest: Manifest) {
  const outputsDir = tempDir('report');
  const store = new ExperimentStore(outputsDir, manifest.experiment_id);
  await store.create(manifest, []);
  return { outputsDir, store, ctx: { outputsDir, now: () => NOW } };
}

describe('generateReport', () => {
  it('files issues with gh, records them in the manifest with issue events, writes both files, logs a report event; a second call files nothing new', async () => {
    const gh = fakeGh();
    const { store, ctx, outputsDir } = await stored(fullStory());

    const first = await generateReport('seg', ctx, { gh: gh.bin });
    expect(first.jsonl_path).toBe(join(outputsDir, 'factorial_run_seg.jsonl'));
    expect(first.markdown_path).toBe(join(outputsDir, 'factorial_report_seg.md'));
    expect(first.issues.map((i) => [i.root_cause_id, i.action, i.url, i.conditions])).toEqual([
      ['DATA_MISSING', 'created', 'https://github.com/example/seg/issues/1', [STORY.noData]],
      ['OOM_CUDA', 'created', 'https://github.com/example/seg/issues/2', [STORY.stubborn]],
    ]);
    expect(store.read().issues).toEqual(first.issues);
    expect(first.summary).toMatchObject({ type: 'summary', accounting: { succeeded: 16, fixed: 6, issue: 2, reported: 0 } });

    const lines = readFileSync(first.jsonl_path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(25);
    expect(lines.at(-1)).toEqual(JSON.parse(JSON.stringify(first.summary)));
    expect(lines.find((l) => l.condition === STORY.stubborn)).toMatchObject({ disposition: 'issue', issue_url: 'https://github.com/example/seg/issues/2' });
    const md = readFileSync(first.markdown_path, 'utf8');
    const mdLines = logicalLines(md);
    expect(mdLines).toContainEqual(expect.stringMatching(/^- created: \*\*OOM_CUDA\*\* <https:\/\/github.com\/example\/seg\/issues\/2> \(1 condition\(s\), /));
    expect(mdLines).toContain('- `sam3/cbdice/calibration-true/fold-0`: failed (OOM_CUDA) · batch 2 · issue: created <https://github.com/example/seg/issues/2>');
    // The fixture's manifest holds the secrets (planted in evidence); nothing the report writes does.
    for (const text of [md, readFileSync(first.jsonl_path, 'utf8'), readFileSync(store.eventsPath, 'utf8'), JSON.stringify(store.read().issues)]) {
      expect(text).not.toContain(SECRET_HF);
    }

    const second = await generateReport('seg', ctx, { gh: gh.bin });
    expect(second.issues).toEqual(first.issues);
    expect(store.read().issues).toHaveLength(2);
    expect(gh.calls().map((c) => c.args.slice(0, 2).join(' '))).toEqual(['auth status', 'issue list', 'issue create', 'issue list', 'issue create']);
    const events = store.readEvents();
    expect(events.filter((e) => e.type === 'issue').map((e) => e.type === 'issue' && [e.action, e.root_cause_id, e.url])).toEqual([
      ['created', 'DATA_MISSING', 'https://github.com/example/seg/issues/1'],
      ['created', 'OOM_CUDA', 'https://github.com/example/seg/issues/2'],
    ]);
    expect(events.filter((e) => e.type === 'report')).toEqual([
      expect.objectContaining({ jsonl_path: first.jsonl_path, markdown_path: first.markdown_path, issues: 2 }),
      expect.objectContaining({ issues: 2 }),
    ]);
  });

  it('without gh writes drafts once, and files them for real when gh becomes available', async () => {
    const { store, ctx, outputsDir } = await stored(fullStory());
    const first = await generateReport('seg', ctx, { gh: join(tempDir('nogh'), 'gh') });
    expect(first.issues.map((i) => i.action)).toEqual(['draft', 'draft']);
    expect(first.notes).toHaveLength(2);
    expect(readdirSync(join(outputsDir, 'issues'))).toHaveLength(2);
    for (const i of first.issues) {
      const text = readFileSync(i.draft_path!, 'utf8');
      expect(text).not.toContain(SECRET_HF);
      expect(text).not.toContain(SECRET_AWS);
    }
    expect(logicalLines(readFileSync(first.markdown_path, 'utf8')).join('\n')).toContain(`- draft: **OOM_CUDA** draft \`${first.issues[1]!.draft_path}\``);

    await generateReport('seg', ctx, { gh: join(tempDir('nogh'), 'gh') });
    expect(store.read().issues).toHaveLength(2);
    expect(store.readEvents().filter((e) => e.type === 'issue')).toHaveLength(2);

    const gh = fakeGh();
    const filed = await generateReport('seg', ctx, { gh: gh.bin });
    expect(filed.issues.map((i) => i.action)).toEqual(['created', 'created']);
    expect(store.read().issues.map((i) => i.action)).toEqual(['draft', 'draft', 'created', 'created']);
  });

  it('runs concurrent reports one after the other: the issues are filed once', async () => {
    const gh = fakeGh();
    const { store, ctx } = await stored(fullStory());
    await Promise.all([generateReport('seg', ctx, { gh: gh.bin }), generateReport('seg', ctx, { gh: gh.bin })]);
    expect(gh.issues()).toHaveLength(2);
    expect(gh.calls().filter((c) => c.args[1] === 'comment')).toEqual([]);
    expect(store.read().issues).toHaveLength(2);
  });

  it('with fileIssues false files nothing: the remaining failures are reported', async () => {
    const gh = fakeGh();
    const { store, ctx } = await stored(fullStory());
    const r = await generateReport('seg', ctx, { fileIssues: false, gh: gh.bin });
    expect(r.issues).toEqual([]);
    expect(gh.calls()).toEqual([]);
    expect(store.read().issues).toEqual([]);
    expect(r.summary.accounting).toEqual({ succeeded: 16, fixed: 6, issue: 0, reported: 2 });
  });

  it('before the cycles run out only unrecoverable failures become issues', async () => {
    const gh = fakeGh();
    const { ctx } = await stored(mixedBatch0());
    const r = await generateReport('mixed', ctx, { gh: gh.bin });
    expect(r.issues.map((i) => [i.root_cause_id, i.action])).toEqual([['DATA_MISSING', 'created']]);
    expect(r.summary.accounting).toEqual({ succeeded: 13, fixed: 0, issue: 1, reported: 10 });
    expect(existsSync(r.markdown_path)).toBe(true);
  });

  it('refuses an experiment that does not exist', async () => {
    await expect(generateReport('nope', { outputsDir: tempDir('empty'), now: () => NOW })).rejects.toThrow(/no experiment 'nope'/);
  });
});
