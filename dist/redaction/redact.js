// The one redaction choke point: every surface that shows, stores or sends text (CLI output and errors,
// MCP results, errors and resources, the manifest, events, run JSONL, the Markdown report, issue bodies,
// rebuild logs) passes it through here. The formats are data (instructions/secret-formats.yaml).
import { secretFormats } from './secret-formats.js';
export const REDACTED = '<redacted>';
export function redact(text) {
    let out = text;
    for (const f of secretFormats()) {
        f.regex.lastIndex = 0;
        out = out.replace(f.regex, (...m) => `${f.keep === undefined ? '' : (m[f.keep] ?? '')}${REDACTED}${f.replace_suffix ?? ''}`);
    }
    return out;
}
/** Every string inside a JSON value, redacted (before serialising, so escapes cannot be cut in half). */
export function redactDeep(value) {
    if (typeof value === 'string')
        return redact(value);
    if (Array.isArray(value))
        return value.map((v) => redactDeep(v));
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
    }
    return value;
}
/** A stream that redacts what is written to it, line by line (a secret is never split across writes). */
export function redactingWriter(target) {
    let pending = '';
    const writer = {
        write(chunk, ...rest) {
            pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
            const cut = pending.lastIndexOf('\n');
            if (cut >= 0) {
                target.write(redact(pending.slice(0, cut + 1)));
                pending = pending.slice(cut + 1);
            }
            const cb = rest.find((r) => typeof r === 'function');
            cb?.();
            return true;
        },
        flush() {
            if (pending !== '')
                target.write(redact(pending));
            pending = '';
        },
    };
    return writer;
}
