// Parsing of SkyPilot's human time strings (sky/utils/log_utils.py readable_time_duration, pendulum based).
const UNIT_SECONDS = {
    year: 365 * 86_400,
    years: 365 * 86_400,
    mo: 30 * 86_400,
    w: 7 * 86_400,
    d: 86_400,
    h: 3_600,
    m: 60,
    s: 1,
};
/** `2h 36m 18s`, `1d 1h 51s`, `1mo`, `2 years`, `< 1s` → seconds; `-` or empty → null. */
export function parseDuration(text) {
    const t = text.trim();
    if (t === '' || t === '-')
        return null;
    if (t.startsWith('<'))
        return 0;
    let total = 0;
    let matched = false;
    for (const m of t.matchAll(/(\d+)\s*(years?|mo|w|d|h|m|s)(?![a-z])/g)) {
        total += Number(m[1]) * (UNIT_SECONDS[m[2]] ?? 0);
        matched = true;
    }
    return matched ? total : null;
}
const RELATIVE_UNIT = {
    sec: 1,
    min: 60,
    hr: 3_600,
    day: 86_400,
    week: 7 * 86_400,
    month: 30 * 86_400,
    year: 365 * 86_400,
};
/** `a few secs ago`, `1 min ago`, `3 days ago`, `< 1 sec` → seconds before now; `-` → null. */
export function parseRelativeAge(text) {
    const t = text.trim();
    if (t === '' || t === '-')
        return null;
    if (t.startsWith('<') || t.startsWith('a few'))
        return 0;
    const m = /^(\d+|an?)\s+(sec|min|hr|day|week|month|year)s?\b/.exec(t);
    if (!m)
        return null;
    const n = m[1] === 'a' || m[1] === 'an' ? 1 : Number(m[1]);
    return n * (RELATIVE_UNIT[m[2]] ?? 0);
}
