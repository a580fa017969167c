// Text from factor levels and logs goes into GitHub issues and the Markdown report: it must stay text —
// no HTML, no links or images, no @mentions that notify people, and log text that cannot break its fence.
import { describe, expect, it } from 'vitest';
import { findEntry } from '../../mcp-server/src/factorial/manifest.js';
import { buildIssueText } from '../../mcp-server/src/report/issue-filing.js';
import { renderMarkdownReport } from '../../mcp-server/src/report/markdown-report.js';
import { buildReportModel } from '../../mcp-server/src/report/report-model.js';
import { fullStory, STORY } from './report-fixture.js';

const HOSTILE_LEVEL = '<img src=x onerror=alert(1)> @octocat [click](http://evil.example) | x';
const HOSTILE_LOG = 'FileNotFoundError: ```\n@security-team <script>alert(1)</script>\n```';

describe('Markdown from untrusted text', () => {
  it('escapes levels and evidence in issue bodies and the report; mentions do not notify', () => {
    const m = fullStory();
    const entry = findEntry(m, STORY.noData);
    entry.levels.model = HOSTILE_LEVEL;
    for (const a of entry.attempts) if (a.failure) a.failure.line = HOSTILE_LOG;
    const model = buildReportModel(m);
    const group = model.remaining.find((g) => g.failed.includes(STORY.noData))!;
    const issue = buildIssueText(model, group);
    const report = renderMarkdownReport(model, new Date('2025-06-01T12:00:00Z'));
    for (const full of [issue.body, report]) {
      // Code blocks and spans render their content literally; everything else must be inert text.
      const text = full.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '').replace(/` [^`]* `|`[^`]*`/g, '');
      if (full === issue.body) expect(text).toContain('\\<img src=x onerror=alert(1)\\>'); // shown, escaped
      expect(text).not.toMatch(/(^|[^\\])<img/);
      expect(text).not.toMatch(/(^|[^\\])<script>/);
      expect(text).not.toMatch(/(^|[^\\])\[click\]\(http/);
      expect(text).not.toMatch(/(^|[^\u200b`])@octocat/m);
      expect(text).not.toMatch(/(^|[^\u200b`])@security-team/m);
    }
    // The evidence is fenced by a fence longer than any backtick run inside it: nothing escapes the block.
    const fence = /^(`{4,})text\n([\s\S]*?)\n\1$/m.exec(issue.body);
    expect(fence?.[2]).toContain('<script>');
  });
});
