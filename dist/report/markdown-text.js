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
/** The report's line width: a terminal's 80 columns. */
export const WIDTH = 80;
// A word that would start a block (list item, heading, quote, setext underline) if a line began with it.
const STARTS_BLOCK = /^(?:[-+*]|#{1,6}|=+|-+|\d{1,9}[.)]|>.*|`{3,}.*|~{3,}.*)$/;
/**
 * The words of a Markdown line: split at spaces outside code spans. A code span that cannot fit in `room`
 * columns is split at its own spaces too: Markdown reads a line break inside a span as the space it was.
 */
function markdownWords(text, room) {
    const words = [];
    let word = '';
    let i = 0;
    while (i < text.length) {
        const ch = text[i];
        if (ch === '\\') {
            word += text.slice(i, i + 2);
            i += 2;
        }
        else if (ch === '`') {
            const ticks = /^`+/.exec(text.slice(i))[0];
            const close = new RegExp(`(?<!\`)${ticks}(?!\`)`, 'g');
            close.lastIndex = i + ticks.length;
            const end = close.exec(text)?.index;
            if (end === undefined) {
                word += ticks;
                i += ticks.length;
                continue;
            }
            const span = text.slice(i, end + ticks.length);
            i = end + ticks.length;
            if ([...span].length <= room) {
                word += span;
                continue;
            }
            // A padded span (` x `) keeps its padding next to its delimiters.
            const content = span.slice(ticks.length, -ticks.length);
            const pad = content.startsWith(' ') && content.endsWith(' ') ? ' ' : '';
            const pieces = content.trim().split(/ +/);
            pieces.forEach((p, k) => {
                if (k > 0) {
                    words.push(word);
                    word = '';
                }
                word += `${k === 0 ? ticks + pad : ''}${p}${k === pieces.length - 1 ? pad + ticks : ''}`;
            });
        }
        else if (ch === ' ') {
            if (word)
                words.push(word);
            word = '';
            i++;
        }
        else {
            word += ch;
            i++;
        }
    }
    if (word)
        words.push(word);
    // Never begin a line with a word Markdown would read as the start of a block.
    return words.reduce((out, w) => {
        if (out.length > 0 && STARTS_BLOCK.test(w))
            out[out.length - 1] += ` ${w}`;
        else
            out.push(w);
        return out;
    }, []);
}
/**
 * Greedy word wrap of one Markdown line to `width` columns; continuation lines get `indent`. A word longer
 * than a line (a URL, a digest) gets a line of its own.
 */
export function wrap(text, indent = '  ', width = WIDTH) {
    const lines = [];
    let line = '';
    for (const word of markdownWords(text, width - indent.length)) {
        if (line && [...line].length + 1 + [...word].length > width) {
            lines.push(line);
            line = indent + word;
        }
        else
            line = line ? `${line} ${word}` : word;
    }
    if (line)
        lines.push(line);
    return lines;
}
