// A small click-compatible command-line parser: options anywhere after the subcommand, `--opt=v`
// and `--opt v`, clustered short flags (`-ya`), `--` ends options, and click's error texts.
import { ClickUsageError } from './errors.js';
/** Value an 'optional'-kind option takes when given bare (click `is_flag=False, flag_value=…`). */
export const BARE = '__bare__';
export function usageLine(spec) {
    const pieces = ['[OPTIONS]', ...spec.args.map(argMetavar)];
    return `Usage: ${spec.path} ${pieces.join(' ')}`;
}
function argMetavar(a) {
    let m = a.required ? a.name : `[${a.name}]`;
    if (a.nargs === -1)
        m += '...';
    return m;
}
function usageError(spec, message) {
    return new ClickUsageError(usageLine(spec), spec.path, message);
}
function paramHint(o) {
    return o.names.map((n) => `'${n}'`).join(' / ');
}
function parseInt10(spec, hint, raw) {
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
        throw usageError(spec, `Invalid value for ${hint}: '${raw}' is not a valid integer.`);
    }
    return Number.parseInt(raw, 10);
}
export function parseCommand(spec, argv) {
    const opts = {};
    const positionals = [];
    const longMap = new Map();
    const shortMap = new Map();
    for (const o of spec.options) {
        for (const n of o.names)
            (n.startsWith('--') ? longMap : shortMap).set(n, { o, neg: false });
        for (const n of o.negNames ?? [])
            (n.startsWith('--') ? longMap : shortMap).set(n, { o, neg: true });
    }
    const assign = (o, neg, value, shownName) => {
        if (o.kind === 'flag') {
            if (value !== undefined)
                throw usageError(spec, `Option '${shownName}' does not take a value.`);
            opts[o.dest] = !neg;
            return;
        }
        if (value === undefined)
            throw usageError(spec, `Option '${shownName}' requires an argument.`);
        if (o.kind === 'int')
            opts[o.dest] = parseInt10(spec, paramHint(o), value);
        else if (o.kind === 'multi' || o.kind === 'optional')
            opts[o.dest] = [...(opts[o.dest] ?? []), value];
        else
            opts[o.dest] = value;
    };
    let i = 0;
    let onlyArgs = false;
    while (i < argv.length) {
        const tok = argv[i++];
        if (onlyArgs || tok === '-' || !tok.startsWith('-')) {
            positionals.push(tok);
            continue;
        }
        if (tok === '--') {
            onlyArgs = true;
            continue;
        }
        if (tok.startsWith('--')) {
            const eq = tok.indexOf('=');
            const name = eq >= 0 ? tok.slice(0, eq) : tok;
            const hit = longMap.get(name);
            if (!hit)
                throw noSuchOption(spec, name, [...longMap.keys(), '--help']);
            let value = eq >= 0 ? tok.slice(eq + 1) : undefined;
            if (value === undefined && hit.o.kind === 'optional') {
                const nxt = argv[i];
                value = nxt !== undefined && !nxt.startsWith('-') ? argv[i++] : BARE;
            }
            if (value === undefined && hit.o.kind !== 'flag') {
                if (i >= argv.length)
                    throw usageError(spec, `Option '${name}' requires an argument.`);
                value = argv[i++];
            }
            assign(hit.o, hit.neg, value, name);
            continue;
        }
        // Short option(s), possibly clustered: -ya, -n NAME, -nNAME.
        for (let k = 1; k < tok.length; k++) {
            const name = `-${tok[k]}`;
            const hit = shortMap.get(name);
            if (!hit)
                throw noSuchOption(spec, name, []);
            if (hit.o.kind === 'flag') {
                assign(hit.o, hit.neg, undefined, name);
                continue;
            }
            let value = tok.slice(k + 1);
            if (value === '' && hit.o.kind === 'optional') {
                const nxt = argv[i];
                value = nxt !== undefined && !nxt.startsWith('-') ? argv[i++] : BARE;
            }
            if (value === '') {
                if (i >= argv.length)
                    throw usageError(spec, `Option '${name}' requires an argument.`);
                value = argv[i++];
            }
            assign(hit.o, hit.neg, value, name);
            break;
        }
    }
    const args = {};
    let p = 0;
    for (const a of spec.args) {
        if (a.nargs === -1) {
            const rest = positionals.slice(p);
            p = positionals.length;
            if (a.required && rest.length === 0)
                throw usageError(spec, `Missing argument '${argMetavar(a)}'.`);
            args[a.name] = a.kind === 'int' ? rest.map((r) => parseInt10(spec, `'${argMetavar(a)}'`, r)) : rest;
            continue;
        }
        const raw = positionals[p];
        if (raw === undefined) {
            if (a.required)
                throw usageError(spec, `Missing argument '${argMetavar(a)}'.`);
            continue;
        }
        p++;
        args[a.name] = a.kind === 'int' ? parseInt10(spec, `'${argMetavar(a)}'`, raw) : raw;
    }
    if (p < positionals.length) {
        const extra = positionals.slice(p);
        const noun = extra.length === 1 ? 'argument' : 'arguments';
        throw usageError(spec, `Got unexpected extra ${noun} (${extra.join(' ')})`);
    }
    return { opts, args };
}
function noSuchOption(spec, name, longNames) {
    const possibilities = name.startsWith('--') ? closeMatches(name, longNames) : [];
    let msg = `No such option: ${name}`;
    if (possibilities.length === 1)
        msg += ` Did you mean ${possibilities[0]}?`;
    else if (possibilities.length > 1)
        msg += ` (Possible options: ${[...possibilities].sort().join(', ')})`;
    return usageError(spec, msg);
}
// difflib.get_close_matches(word, possibilities, n=3, cutoff=0.6): Ratcliff/Obershelp similarity.
function matchingChars(a, b) {
    if (a.length === 0 || b.length === 0)
        return 0;
    let bestI = 0;
    let bestJ = 0;
    let bestK = 0;
    for (let i = 0; i < a.length; i++) {
        for (let j = 0; j < b.length; j++) {
            let k = 0;
            while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k])
                k++;
            if (k > bestK) {
                bestI = i;
                bestJ = j;
                bestK = k;
            }
        }
    }
    if (bestK === 0)
        return 0;
    return (bestK +
        matchingChars(a.slice(0, bestI), b.slice(0, bestJ)) +
        matchingChars(a.slice(bestI + bestK), b.slice(bestJ + bestK)));
}
export function closeMatches(word, candidates, n = 3, cutoff = 0.6) {
    const scored = [];
    for (const c of new Set(candidates)) {
        const r = (2 * matchingChars(c, word)) / (c.length + word.length);
        if (r >= cutoff)
            scored.push({ c, r });
    }
    scored.sort((x, y) => y.r - x.r || (x.c < y.c ? 1 : -1));
    return scored.slice(0, n).map((s) => s.c);
}
