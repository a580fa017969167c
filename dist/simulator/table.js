// prettytable as SkyPilot configures it (`log_utils.create_table`): align left, left padding 0,
// right padding 2. `frame` adds the optimizer's style (border with hrules=FRAME, vrules=NONE).
import { visibleWidth } from './ansi.js';
export function renderTable(fields, rows, opts = {}) {
    if (rows.length === 0)
        return ''; // prettytable prints nothing for a borderless empty table
    const text = rows.map((r) => r.map((c) => String(c)));
    const widths = fields.map((f, i) => Math.max(visibleWidth(f), ...text.map((r) => visibleWidth(r[i] ?? ''))));
    const line = (cells) => {
        const padded = cells.map((c, i) => c + ' '.repeat(widths[i] - visibleWidth(c) + 2));
        return opts.frame ? ` ${padded.join(' ')} ` : padded.join('');
    };
    const lines = [line(fields), ...text.map(line)];
    if (!opts.frame)
        return lines.join('\n');
    const rule = '-'.repeat(visibleWidth(lines[0]));
    return [rule, lines[0], rule, ...lines.slice(1), rule].join('\n');
}
