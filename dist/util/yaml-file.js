// YAML files checked against a zod schema, with errors that name the file, line and field.
import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
export class ConfigError extends Error {
    file;
    problems;
    name = 'ConfigError';
    constructor(file, problems) {
        super(problems
            .map((p) => `${file}${p.line === null ? '' : `:${p.line}`}: ${p.field ? `${p.field}: ` : ''}${p.message}`)
            .join('\n'));
        this.file = file;
        this.problems = problems;
    }
}
/** The line where an unclosed `[` or `{` before `pos` opened: where a "must end with a ]" error really is. */
function unclosedOpening(text, pos, close) {
    const open = close === ']' ? '[' : '{';
    let depth = 0;
    for (let i = Math.min(pos, text.length) - 1; i >= 0; i--) {
        if (text[i] === close)
            depth++;
        else if (text[i] === open && depth-- === 0)
            return text.slice(0, i).split('\n').length;
    }
    return null;
}
/** Closest of `candidates` to a misspelt `word` (edit distance at most a third of its length). */
export function didYouMean(word, candidates) {
    const distance = (a, b) => {
        let row = Array.from({ length: b.length + 1 }, (_, j) => j);
        for (let i = 1; i <= a.length; i++) {
            const next = [i];
            for (let j = 1; j <= b.length; j++)
                next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            row = next;
        }
        return row[b.length];
    };
    const best = candidates.map((c) => ({ c, d: distance(word, c) })).sort((x, y) => x.d - y.d)[0];
    return best && best.d <= Math.max(1, Math.floor(word.length / 3)) ? best.c : null;
}
/** The keys a zod object schema (through defaults, optionals and pipes) accepts at `path`. */
function keysAt(schema, path) {
    let node = schema;
    const unwrap = () => {
        for (let d = node.def; d && (d.innerType || d.in); d = node.def)
            node = d.innerType ?? d.in;
    };
    for (const key of path) {
        unwrap();
        const shape = node.shape;
        if (!shape)
            return [];
        node = shape[String(key)];
    }
    unwrap();
    return Object.keys(node.shape ?? {});
}
/**
 * Parse YAML text and validate it; every problem is reported with its line. `prepare` may adjust the
 * document before it is converted (e.g. keep the text of numbers the user wrote).
 */
export function parseYamlFile(file, text, schema, prepare) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw new ConfigError(file, 
        // prettyErrors appends " at line L, column C:" and a source excerpt; the line is reported separately.
        doc.errors.map((e) => {
            const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
            const close = /end with an? ([\]}])/.exec(message)?.[1];
            const opened = close ? unclosedOpening(text, e.pos[0], close) : null;
            return opened !== null
                ? { line: opened, field: '', message: `this '${close === ']' ? '[' : '{'}' is never closed (${message})` }
                : { line: e.linePos?.[0].line ?? null, field: '', message };
        }));
    }
    prepare?.(doc);
    const result = schema.safeParse(doc.toJS() ?? {});
    if (result.success)
        return result.data;
    throw new ConfigError(file, result.error.issues.map((issue) => {
        // The deepest node of the path that exists in the document tells where to look.
        let line = null;
        for (let depth = issue.path.length; depth >= 0 && line === null; depth--) {
            const node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth), true);
            if (isNode(node) && node.range)
                line = lines.linePos(node.range[0]).line;
        }
        // A record key that breaks its rule is reported by zod as "Invalid key"; the key's own issue says why.
        const nested = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
        if (issue.code === 'unrecognized_keys') {
            // Point at the key itself, and at the key it probably meant.
            const parent = issue.path.length === 0 ? doc.contents : doc.getIn(issue.path, true);
            const known = keysAt(schema, issue.path);
            const [key] = issue.keys;
            const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
            if (isNode(pair?.key) && pair.key.range)
                line = lines.linePos(pair.key.range[0]).line;
            const guess = key === undefined ? null : didYouMean(key, known);
            const field = [...issue.path, key].join('.');
            return { line, field, message: `unknown key${guess ? `: did you mean '${guess}'?` : known.length ? ` (known: ${known.join(', ')})` : ''}` };
        }
        return { line, field: issue.path.join('.'), message: nested ?? issue.message };
    }));
}
export function readYamlFile(file, schema, prepare) {
    let text;
    try {
        text = readFileSync(file, 'utf8');
    }
    catch (e) {
        throw new ConfigError(file, [{ line: null, field: '', message: `cannot read: ${e.message}` }]);
    }
    return parseYamlFile(file, text, schema, prepare);
}
