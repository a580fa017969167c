import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { redact } from '../../mcp-server/src/redaction/redact.js';
import { buildIssueText, fileIssues, issueMarker } from '../../mcp-server/src/report/issue-filing.js';
import { buildReportModel, hash16 } from '../../mcp-server/src/report/report-model.js';
import { tempDir } from '../helpers/paths.js';
import { fakeGh } from './fake-gh.js';
import { DATA, fullStory, OOM, SECRET_AWS, SECRET_HF, STORY } from './report-fixture.js';

const NOW = new Date('2025-06-01T12:00:00Z');
// The fixture plants secrets in the evidence line, so its fingerprint is recorded redacted.
const DATA_FP = redact(DATA.fingerprint);
const secretsIn = (text: string) => [SECRET_HF, SECRET_AWS].filter((s) => text.includes(s));

describe('issues for what stays broken', () => {
  it('groups the remaining failures by fingerprint; only those past the last cycle or unrecoverable are fileable', () => {
    const model = buildReportModel(fullStory());
    expect(model.remaining.map((g) => [g.root_cause_id, g.failed, g.fileable])).toEqual([
      ['DATA_MISSING', [STORY.noData], true],
      ['OOM_CUDA', [STORY.stubborn], true],
    ]);
    const oom = model.remaining.find((g) => g.root_cause_id === 'OOM_CUDA')!;
    expect(oom.fingerprint).toBe(OOM.fingerprint);
    expect(oom.hash16).toBe(hash16(OOM.fingerprint));
    expect(oom.why).toMatch(/after relaunch cycle 2, the last one allowed/);
    expect(oom.fixes.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('without gh on PATH writes redacted, ready-to-file drafts', async () => {
    const outputs = tempDir('issues-nogh');
    const model = buildReportModel(fullStory());
    const results = await fileIssues(model, { outputsDir: outputs, now: NOW, gh: { env: { PATH: tempDir('empty-path') } } });
    expect(results.map((r) => [r.issue.action, r.issue.url, r.recorded_now])).toEqual([
      ['draft', null, true],
      ['draft', null, true],
    ]);
    expect(results[0]!.note).toMatch(/gh is not installed or not logged in/);
    const files = readdirSync(join(outputs, 'issues')).sort();
    expect(files).toEqual([`seg-DATA_MISSING-${hash16(DATA_FP).slice(0, 8)}.md`, `seg-OOM_CUDA-${hash16(OOM.fingerprint).slice(0, 8)}.md`]);
    expect(results.map((r) => r.issue.draft_path).sort()).toEqual(files.map((f) => join(outputs, 'issues', f)));

    const text = readFileSync(join(outputs, 'issues', files[0]!), 'utf8');
    expect(secretsIn(text)).toEqual([]);
    const draft = matter(text);
    expect(draft.data.title).toBe('[skyloop] DATA_MISSING in experiment seg: 1 condition(s) still failing');
    expect(draft.data.labels).toEqual(['skyloop', 'experiment-failure']);
    for (const part of ['### Affected conditions', STORY.noData, '### Evidence (redacted)', 'FileNotFoundError', 'AKIA<redacted>', 'HF_TOKEN=<redacted>',
      '### Fix attempted', 'rebuild #1', 'NOT verified (step test exited 1)', '### Reproduction hints', 'sky jobs logs', issueMarker(hash16(DATA_FP))]) {
      expect(draft.content).toContain(part);
    }
    // Local paths stay local.
    expect(draft.content).not.toContain('/home/alice');
  });

  it('with gh logged in: creates one issue per fingerprint, then comments on it instead of creating a twin', async () => {
    const gh = fakeGh();
    const opts = { outputsDir: tempDir('issues-gh'), now: NOW, gh: { env: { PATH: gh.path } } };
    const model = buildReportModel(fullStory());

    const first = await fileIssues(model, opts);
    expect(first.map((r) => r.issue.action)).toEqual(['created', 'created']);
    expect(first.map((r) => r.issue.url)).toEqual(['https://github.com/example/seg/issues/1', 'https://github.com/example/seg/issues/2']);
    const creates = gh.calls().filter((c) => c.args[1] === 'create');
    expect(creates).toHaveLength(2);
    for (const c of creates) {
      expect(c.args).toContain('--body-file');
      expect(c.args[c.args.indexOf('--title') + 1]).toMatch(/^\[skyloop\] /);
      expect(c.body).toContain('skyloop-fingerprint: ');
      expect(secretsIn(c.body!)).toEqual([]);
      expect(secretsIn(c.args.join(' '))).toEqual([]);
    }
    const list = gh.calls().find((c) => c.args[1] === 'list')!;
    expect(list.args).toEqual(expect.arrayContaining(['--state', 'open', '--json', 'number,url,body']));
    expect(list.args[list.args.indexOf('--search') + 1]).toContain(issueMarker(hash16(DATA_FP)));

    // The same failures again (another report, the manifest not consulted): the marker finds the open issues.
    const second = await fileIssues(model, opts);
    expect(second.map((r) => [r.issue.action, r.issue.url])).toEqual([
      ['commented', 'https://github.com/example/seg/issues/1'],
      ['commented', 'https://github.com/example/seg/issues/2'],
    ]);
    expect(gh.calls().filter((c) => c.args[1] === 'create')).toHaveLength(2);
    const comments = gh.calls().filter((c) => c.args[1] === 'comment');
    expect(comments.map((c) => c.args.slice(0, 3))).toEqual([['issue', 'comment', '1'], ['issue', 'comment', '2']]);
    for (const c of comments) expect(secretsIn(c.body!)).toEqual([]);
    expect(gh.issues()).toHaveLength(2);
  });

  it('does not file again what the manifest already records', async () => {
    const gh = fakeGh();
    const m = fullStory();
    const opts = { outputsDir: tempDir('issues-known'), now: NOW, gh: { env: { PATH: gh.path } } };
    m.issues.push(...(await fileIssues(buildReportModel(m), opts)).map((r) => r.issue));
    const again = await fileIssues(buildReportModel(m), opts);
    expect(again.every((r) => !r.recorded_now)).toBe(true);
    expect(gh.calls().filter((c) => c.args[1] === 'create' || c.args[1] === 'comment')).toHaveLength(2);
  });

  it('falls back to drafts when gh is logged out, and retries without labels the repository lacks', async () => {
    const loggedOut = fakeGh();
    loggedOut.set('logged-out');
    const outputs = tempDir('issues-loggedout');
    const drafts = await fileIssues(buildReportModel(fullStory()), { outputsDir: outputs, now: NOW, gh: { env: { PATH: loggedOut.path } } });
    expect(drafts.map((r) => r.issue.action)).toEqual(['draft', 'draft']);
    expect(loggedOut.calls().map((c) => c.args.slice(0, 2))).toEqual([['auth', 'status']]);
    expect(drafts.every((r) => existsSync(r.issue.draft_path!))).toBe(true);

    const noLabels = fakeGh();
    noLabels.set('no-labels');
    const filed = await fileIssues(buildReportModel(fullStory()), { outputsDir: tempDir('issues-nolabel'), now: NOW, gh: { env: { PATH: noLabels.path } } });
    expect(filed.map((r) => r.issue.action)).toEqual(['created', 'created']);
    expect(noLabels.issues().map((i) => i.labels)).toEqual([[], []]);
  });

  it('refuses a gh executable that looks like an option', async () => {
    await expect(fileIssues(buildReportModel(fullStory()), { outputsDir: tempDir('x'), now: NOW, gh: { bin: '--version' } })).rejects.toThrow(/must not start with '-'/);
  });

  it('builds the issue text from the root cause, redacted', () => {
    const model = buildReportModel(fullStory());
    const oom = buildIssueText(model, model.remaining.find((g) => g.root_cause_id === 'OOM_CUDA')!);
    expect(oom.conditions).toEqual([STORY.stubborn]);
    expect(oom.body).toContain('(first seen in batch 0: model+loss-specific (model=sam3, loss=cbdice))');
    expect(oom.body).toMatch(/batch 0: job \d+ FAILED \(OOM_CUDA\) → batch 1: job \d+ FAILED \(OOM_CUDA\) → batch 2: job \d+ FAILED \(OOM_CUDA\)/);
    expect(oom.body).toContain('relaunched in batch 1, 2; still failing');
  });
});
