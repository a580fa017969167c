// json.dumps(..., indent=2) as Python prints it: floats keep their `.0`, non-ASCII is escaped
// (ensure_ascii=True), `{}`/`[]` for empty containers.
export class PyFloat {
    value;
    constructor(value) {
        this.value = value;
    }
}
function floatRepr(x) {
    if (Number.isNaN(x))
        return 'NaN';
    if (!Number.isFinite(x))
        return x > 0 ? 'Infinity' : '-Infinity';
    const abs = Math.abs(x);
    if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
        // Python: 1e+16, 1.5e-05
        const [m, e] = x.toExponential().split('e');
        const exp = Number(e);
        return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    }
    const s = String(x);
    return Number.isInteger(x) ? `${s}.0` : s;
}
function str(s) {
    let out = '"';
    for (const ch of s) {
        const c = ch.codePointAt(0);
        if (ch === '"')
            out += '\\"';
        else if (ch === '\\')
            out += '\\\\';
        else if (ch === '\n')
            out += '\\n';
        else if (ch === '\r')
            out += '\\r';
        else if (ch === '\t')
            out += '\\t';
        else if (ch === '\b')
            out += '\\b';
        else if (ch === '\f')
            out += '\\f';
        else if (c < 0x20 || c > 0x7e) {
            if (c > 0xffff) {
                const v = c - 0x10000;
                out += `\\u${(0xd800 + (v >> 10)).toString(16).padStart(4, '0')}\\u${(0xdc00 + (v & 0x3ff)).toString(16).padStart(4, '0')}`;
            }
            else
                out += `\\u${c.toString(16).padStart(4, '0')}`;
        }
        else
            out += ch;
    }
    return `${out}"`;
}
export function pyDumps(v, indent = 2, level = 0) {
    const pad = ' '.repeat(indent * (level + 1));
    const close = ' '.repeat(indent * level);
    if (v === null || v === undefined)
        return 'null';
    if (v instanceof PyFloat)
        return floatRepr(v.value);
    if (typeof v === 'number')
        return Number.isInteger(v) ? String(v) : floatRepr(v);
    if (typeof v === 'boolean')
        return v ? 'true' : 'false';
    if (typeof v === 'string')
        return str(v);
    if (Array.isArray(v)) {
        if (v.length === 0)
            return '[]';
        return `[\n${v.map((x) => pad + pyDumps(x, indent, level + 1)).join(',\n')}\n${close}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0)
        return '{}';
    return `{\n${entries.map(([k, x]) => `${pad}${str(k)}: ${pyDumps(x, indent, level + 1)}`).join(',\n')}\n${close}}`;
}
