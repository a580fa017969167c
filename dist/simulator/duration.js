// Durations in scenario files and `sim advance`: '2h', '90m', '1h30m', '45s', '1d', or seconds.
const DURATION_RE = /^\s*(?:(\d+(?:\.\d+)?)d)?\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s)?\s*$/;
export function parseDuration(v) {
    if (typeof v === 'number')
        return v >= 0 ? v : undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(v))
        return Number(v);
    const m = DURATION_RE.exec(v);
    if (!m || v.trim() === '')
        return undefined;
    const [, d, h, mi, s] = m;
    return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
}
