// YAML files checked against a zod schema, with errors that name the file, line and field.
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
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
/** Parse YAML text and validate it; every problem is reported with its line. */
export function parseYamlFile(file, text, schema) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw new ConfigError(file, 
        // prettyErrors appends " at line L, column C:" and a source excerpt; the line is reported separately.
        doc.errors.map((e) => ({
            line: e.linePos?.[0].line ?? null,
            field: '',
            message: (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''),
        })));
    }
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
        return { line, field: issue.path.join('.'), message: nested ?? issue.message };
    }));
}
export function readYamlFile(file, schema) {
    let text;
    try {
        text = readFileSync(file, 'utf8');
    }
    catch (e) {
        throw new ConfigError(file, [{ line: null, field: '', message: `cannot read: ${e.message}` }]);
    }
    return parseYamlFile(file, text, schema);
}
