// Text from factor levels, configs and logs placed into Markdown that GitHub renders (issues, the report):
// it must not become markup, HTML, links or notifications. Plain text is escaped; @mentions are broken
// with a zero-width space; log text goes into fences (issue-filing) or code spans (inlineCode).
import { redact } from '../redaction/redact.js';
// What starts markup inside a line: emphasis, code, links and images, HTML, tables, strike-through.
const MARKDOWN_PUNCTUATION = /[\\`*[\]<>|~]/g;
/**
 * `s` as literal text on one line: redacted first (escaping would hide a secret's shape from the formats),
 * then Markdown and HTML escaped, entities and @mentions neutralised.
 */
export function plainText(s) {
    return redact(s)
        .replace(/\r?\n/g, ' ')
        .replace(/&/g, '&amp;')
        .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
        .replace(/@(?=[A-Za-z0-9])/g, '@\u200b');
}
/** A fenced block whose content cannot close the fence: the fence is longer than any backtick run inside. */
export function fenced(s) {
    const longest = Math.max(2, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    return `${fence}text\n${s}\n${fence}`;
}
