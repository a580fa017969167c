/** A compact left-aligned table with two spaces between columns and no trailing spaces. */
export function textTable(header, rows) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells) => cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    return [line(header), ...rows.map(line)].join('\n') + '\n';
}
/** Seconds → `2h 5m`, `45s`, `3d 4h`: two largest units, like SkyPilot's durations but shorter. */
export function shortDuration(seconds) {
    if (seconds === null)
        return '-';
    const s = Math.round(seconds);
    const units = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]];
    const parts = [];
    let rest = s;
    for (const [u, size] of units) {
        if (rest >= size || (u === 's' && parts.length === 0)) {
            parts.push(`${Math.floor(rest / size)}${u}`);
            rest %= size;
        }
        if (parts.length === 2)
            break;
    }
    return parts.join(' ');
}
