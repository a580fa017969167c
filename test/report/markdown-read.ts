// Reading the Markdown report back the way a person reads it: sections, list items over their wrapped
// lines, and the factorial grid with its numbered columns resolved through the legend.
import { expect } from 'vitest';

export function section(md: string, title: string): string {
  const start = md.indexOf(`## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

/** Lines with their wrapped continuations (indented lines, or lines after a line that is not a table's or a list's start) joined. */
export function logicalLines(text: string): string[] {
  const out: string[] = [];
  let open = false;
  for (const line of text.split('\n')) {
    const continues = open && line !== '' && (/^ +\S/.test(line) || !/^(\||#|- |\d+\. |\[)/.test(line));
    if (continues) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line);
    open = line !== '' && !line.startsWith('|') && !line.startsWith('#');
  }
  return out;
}

const cellsOf = (line: string) => line.slice(1, -1).split(' | ').map((c) => c.trim());

/** `row label | column label` → cell, over every table of the grid section. */
export function gridCells(md: string): Map<string, string> {
  const lines = section(md, 'Factorial grid').split('\n');
  const legend = new Map(lines.flatMap((l) => {
    const m = /^- (R?\d+): (.+)$/.exec(l);
    return m ? [[m[1]!, m[2]!] as const] : [];
  }));
  const named = (k: string) => legend.get(k) ?? k;
  const cells = new Map<string, string>();
  let header: string[] | null = null;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      header = null;
      continue;
    }
    const row = cellsOf(line);
    if (header === null) header = row;
    else if (!/^-+$/.test(row[0]!)) row.slice(1).forEach((c, j) => cells.set(`${named(row[0]!)} | ${named(header![j + 1]!)}`, c));
  }
  return cells;
}
