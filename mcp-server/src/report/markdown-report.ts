// outputs/factorial_report_<experiment_id>.md: results, cost per cycle, the factorial grid, root causes per
// batch with the fix attempted and its outcome, recommendations, issues, and an accounting of every
// condition that did not simply succeed. Replaced atomically; the whole text is redacted. Every line fits an
// 80-column terminal (paragraphs wrapped, the grid's columns numbered with a legend and split into several
// tables when they are too many, the accounting one block per condition), except link definitions.
import { basename, join } from 'node:path';
import { writeFileDurably } from '../store/durable-file.js';
import { redact } from '../redaction/redact.js';
import type { Rebuild } from '../factorial/manifest.js';
import { OUTCOME_SYMBOL, renderResultsSections } from './markdown-results.js';
import { plainText, WIDTH, wrap } from './markdown-text.js';
import type { CauseOutcome, ConditionReport, Level, Outcome, ReportModel } from './report-model.js';
import { levelText } from './results-analysis.js';

export const markdownReportPath = (outputsDir: string, experimentId: string): string =>
  join(outputsDir, `factorial_report_${experimentId}.md`);

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number): string => [...String(n)].map((d) => SUPERSCRIPT[Number(d)] ?? d).join('');
const money = (x: number) => `$${x.toFixed(2)}`;
/** Text safe inside a Markdown table cell: literal, on one line. */
const cell = plainText;
/**
 * Redacted inline code. When something was redacted the span is padded with spaces (which Markdown strips),
 * so that redacting the whole document again cannot swallow the closing backtick with the secret's value.
 */
export function inlineCode(text: string): string {
  const safe = redact(text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'"));
  return safe.includes('<redacted>') ? `\` ${safe} \`` : `\`${safe}\``;
}
const code = inlineCode;
const shortCommit = (c: string | null) => (c === null ? 'no commit' : c.slice(0, 12));
/** An image reference, a pinned one as name and digest: two spans a line can break between. */
const imageText = (image: string) => {
  const at = image.lastIndexOf('@');
  return at < 0 ? code(image) : `${code(image.slice(0, at))} at digest ${code(image.slice(at + 1))}`;
};


const OUTCOME_LABEL: Record<Outcome, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  not_launched: 'Never launched',
  running: 'Still running',
};

/** A grid cell: the outcome's symbol, a failure's category letter, the deciding batch as a superscript. */
export function gridCell(c: ConditionReport | undefined, letterOf: (category: string) => string): string {
  if (!c) return '–';
  const batch = c.decided_batch && c.decided_batch > 0 ? superscript(c.decided_batch) : '';
  if (c.outcome === 'not_launched') return OUTCOME_SYMBOL.not_launched;
  const letter = c.outcome === 'failed' ? letterOf(failureCategory(c)) : '';
  return `${OUTCOME_SYMBOL[c.outcome]}${letter}${batch}`;
}

const failureCategory = (c: ConditionReport) => c.failure?.root_cause_id ?? c.entry.status;
const letters = (i: number): string => (i < 26 ? '' : letters(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

export function combos(factors: [string, Level[]][]): Record<string, Level>[] {
  let out: Record<string, Level>[] = [{}];
  for (const [f, levels] of factors) out = out.flatMap((c) => levels.map((l) => ({ ...c, [f]: l })));
  return out;
}

/** The report grid: rows are every combination of the first half of the factors, columns the rest. */
export function gridLayout(model: ReportModel) {
  const factors = Object.entries(model.manifest.factors);
  const split = Math.ceil(factors.length / 2);
  const names = factors.map(([f]) => f);
  const key = (levels: Record<string, Level>) => JSON.stringify(names.map((f) => levels[f] ?? null));
  const byLevels = new Map(model.conditions.map((c) => [key(c.entry.levels), c]));
  return { rowFactors: factors.slice(0, split), colFactors: factors.slice(split), at: (levels: Record<string, Level>) => byLevels.get(key(levels)) };
}

const columns = (s: string) => [...s].length;

/** A Markdown table padded to its widest cells, so that its raw text reads as a table too. */
function paddedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(3, columns(h), ...rows.map((r) => columns(r[i]!))));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - columns(c))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
const tableWidth = (header: string[], rows: string[][]) => columns(paddedTable(header, rows)[0]!);

/** The columns of a table in consecutive groups, each group as many as fit in WIDTH beside the first column. */
function columnGroups(header: string[], rows: string[][]): number[][] {
  const groups: number[][] = [];
  const table = (g: number[]) => [g.map((j) => header[j]!), rows.map((r) => g.map((j) => r[j]!))] as const;
  for (let j = 1; j < header.length; j++) {
    const group = groups.at(-1);
    if (group && tableWidth(...table([0, ...group, j])) <= WIDTH) group.push(j);
    else groups.push([j]);
  }
  return groups;
}

/**
 * The factorial grid, rows the first half of the factors, columns the rest. When the level names do not fit
 * in 80 columns the columns (and rows whose labels take half the width) are numbered with a legend, and
 * columns that still do not fit go into further tables with the same rows.
 */
export function renderGrid(model: ReportModel): string[] {
  const { rowFactors, colFactors, at } = gridLayout(model);
  const label = (combo: Record<string, Level>) =>
    cell(Object.entries(combo).map(([f, l]) => levelText(f, l)).join(' · ') || 'result');
  const rows = combos(rowFactors);
  const cols = combos(colFactors);
  const categories = [...new Set(model.conditions.filter((c) => c.outcome === 'failed').map(failureCategory))].sort();
  const letterOf = (category: string) => letters(categories.indexOf(category));
  const cells = rows.map((row) => cols.map((col) => gridCell(at({ ...row, ...col }), letterOf)));
  const rowNames = rowFactors.map(([f]) => f).join(' × ');
  const colNames = colFactors.map(([f]) => f).join(' × ');

  let rowLabels = rows.map(label);
  let colLabels = cols.map(label);
  let corner = colNames ? `${rowNames} \\ ${colNames}` : rowNames;
  const legend: string[] = [];
  if (tableWidth([corner, ...colLabels], cells.map((r, k) => [rowLabels[k]!, ...r])) > WIDTH) {
    if (Math.max(...rowLabels.map(columns)) > WIDTH / 2) {
      legend.push(`Rows (${rowNames}):`, '', ...rowLabels.map((l, k) => `- R${k + 1}: ${l}`), '');
      rowLabels = rowLabels.map((_, k) => `R${k + 1}`);
    }
    if (colNames) {
      legend.push(`Columns (${colNames}):`, '', ...colLabels.map((l, k) => `- ${k + 1}: ${l}`), '');
      colLabels = colLabels.map((_, k) => String(k + 1));
      corner = rowNames;
    }
  }
  const header = [corner, ...colLabels];
  const body = cells.map((r, k) => [rowLabels[k]!, ...r]);
  const out = [...legend];
  for (const group of columnGroups(header, body)) {
    out.push(...paddedTable([0, ...group].map((j) => header[j]!), body.map((r) => [0, ...group].map((j) => r[j]!))), '');
  }
  if (categories.length) out.push(...wrap(`Failure categories: ${categories.map((c) => `${letterOf(c)} ${c}`).join(', ')}.`, ''));
  else out.pop();
  return out;
}

export function describeRebuild(r: Rebuild): string {
  const head = `rebuild #${r.id} from commit ${shortCommit(r.git_commit)}${r.git_dirty ? ' (dirty)' : ''}, image ${code(r.image)}`;
  if (r.verified) return `${head}, digest ${code(r.digest ?? '?')}: verified`;
  const failedStep = r.steps.find((s) => s.exit_code !== 0 || s.timed_out);
  const why = r.refused_reason ?? (failedStep ? `step ${failedStep.name} ${failedStep.timed_out ? 'timed out' : `exited ${failedStep.exit_code}`}` : 'unknown');
  return `${head}${r.digest ? `, digest ${code(r.digest)}` : ''}: NOT verified (${plainText(why)})`;
}

function describeOutcome(c: CauseOutcome): string {
  if (c.relaunched.length === 0) return `not relaunched (${c.not_relaunched.length} condition(s))`;
  const batches = [...new Set(c.relaunched.map((r) => r.batch))].join(', ');
  const count = (o: Outcome) => c.relaunched.filter((r) => r.outcome === o);
  const again = count('failed');
  const sameCause = again.filter((r) => r.category === c.root_cause_id).length;
  const parts = [`${count('succeeded').length} succeeded`];
  if (again.length) {
    const other = again.filter((r) => r.category !== c.root_cause_id).map((r) => r.category);
    parts.push(`${again.length} failed again (${sameCause} with the same cause${other.length ? `, others: ${[...new Set(other)].join(', ')}` : ''})`);
  }
  if (count('cancelled').length) parts.push(`${count('cancelled').length} cancelled`);
  if (count('running').length) parts.push(`${count('running').length} still running`);
  const notRelaunched = c.not_relaunched.length ? `; ${c.not_relaunched.length} not relaunched` : '';
  return `${c.relaunched.length} relaunched in batch ${batches}: ${parts.join(', ')}${notRelaunched}`;
}

function causesSection(model: ReportModel): string[] {
  if (model.causes.length === 0) return ['No failures were aggregated (rule F2) in any batch.'];
  const out: string[] = [];
  let batch = -1;
  for (const c of model.causes) {
    if (c.batch !== batch) {
      batch = c.batch;
      out.push(`### Batch ${batch}`, '');
    }
    const cancelled = c.cancelled.length ? `, ${c.cancelled.length} cancelled by the kill switch` : '';
    const meta = [c.pattern && plainText(c.pattern), c.fixability && `fixability ${c.fixability}`].filter(Boolean).join(' · ');
    out.push(`**${c.root_cause_id}**: ${c.conditions.length} condition(s) failed${cancelled}${meta ? ` · ${meta}` : ''}`, '');
    out.push(`- Cause: ${plainText(c.description)}`);
    out.push(`- Conditions: ${[...c.conditions, ...c.cancelled.map((x) => `${x} (cancelled)`)].map(code).join(', ')}`);
    if (c.evidence) out.push(`- Evidence: ${code(c.evidence)}`);
    if (c.classified_by_agent.length) out.push(`- Classified by the agent, not the engine (it was not confident): ${c.classified_by_agent.map(code).join(', ')}`);
    if (c.fix_strategy) out.push(`- Fix strategy: ${c.fix_strategy}`);
    const fixes = c.fixes.length ? c.fixes.map(describeRebuild).join('; ') : 'no rebuild after this batch';
    out.push(`- Fix attempted: ${fixes}`);
    out.push(`- Outcome: ${describeOutcome(c)}`, '');
  }
  return out;
}

/** One block per condition (a table would need 200 columns): outcome, deciding batch, how it is accounted for. */
function accountingSection(model: ReportModel): string[] {
  const rows = model.conditions.filter((c) => c.disposition.kind !== 'succeeded');
  if (rows.length === 0) return ['Every condition succeeded at its first launch.'];
  return rows.map((c) => {
    const d = c.disposition;
    const detail = d.kind === 'issue' && d.issue.url ? `${d.issue.action} <${d.issue.url}>` : plainText(d.note);
    const outcome = c.outcome === 'failed' ? `failed (${failureCategory(c)})` : OUTCOME_LABEL[c.outcome].toLowerCase();
    return `- ${code(c.entry.condition)}: ${outcome} · ${c.decided_batch === null ? 'no batch' : `batch ${c.decided_batch}`} · ${d.kind}: ${detail}`;
  });
}

function issuesSection(model: ReportModel): string[] {
  const issues = model.manifest.issues;
  if (issues.length === 0) return ['No issues filed.'];
  return issues.map((i) => {
    const where = i.url ? `<${i.url}>` : i.draft_path ? `draft ${code(i.draft_path)}` : 'no link';
    return `- ${i.action}: **${i.root_cause_id}** ${where} (${i.conditions.length} condition(s), ${i.at})`;
  });
}

export function renderMarkdownReport(model: ReportModel, now: Date): string {
  const m = model.manifest;
  const t = model.totals;
  const s = model.cycle_state;
  const out: string[] = [
    `# Factorial experiment report: ${m.experiment_id}`,
    '',
    `Config ${code(basename(m.config_file))} · task ${code(basename(m.skypilot_yaml))} · manifest ${code(`factorial_manifest_${m.experiment_id}.json`)} · generated ${now.toISOString()}`,
    '',
    '## Results',
    '',
    '| outcome | conditions | share |',
    '| --- | ---: | ---: |',
  ];
  for (const o of ['succeeded', 'failed', 'cancelled', 'not_launched', 'running'] as const) {
    if (o === 'running' && t.running === 0) continue;
    out.push(`| ${OUTCOME_LABEL[o]} | ${t[o]} | ${model.percentages[o].toFixed(1)}% |`);
  }
  out.push(`| **Total** | **${t.conditions}** | 100% |`, '');
  const auth = s.authorizations ? ` (${s.authorizations} authorization(s) past the default)` : '';
  out.push(`Relaunch cycles used: ${s.current} of ${s.limit} allowed${auth}${s.exhausted ? ', none left (F4)' : ''}.`, '');

  out.push('## Cost', '', '| cycle | jobs | cost |', '| --- | ---: | ---: |');
  const cycleName = (batch: number) => (batch === 0 ? '0 (launch)' : String(batch));
  for (const c of model.cycles) out.push(`| ${cycleName(c.batch)} | ${c.jobs} | ${money(c.cost_usd)} |`);
  const jobs = model.cycles.reduce((n, c) => n + c.jobs, 0);
  out.push(`| **Total** | **${jobs}** | **${money(model.cost_total_usd)}** |`, '');
  out.push(`Budget ${money(m.budget_usd)}, estimated ${money(m.total_estimated_cost)}. The image each cycle ran:`, '');
  for (const c of model.cycles) out.push(`- ${cycleName(c.batch)}: ${imageText(c.image)}`);
  out.push('');

  out.push(
    '## Factorial grid',
    '',
    '✓ succeeded, ✗ failed (a letter names the category), ⊘ cancelled, · never launched, … still running, ' +
      '– not in the grid; a superscript is the relaunch batch that decided the cell (none: the original launch).',
    '',
    ...renderGrid(model),
    '',
  );
  out.push(...renderResultsSections(model));
  out.push('## Root causes per batch', '', ...causesSection(model), '');

  out.push('## Remaining failures', '');
  if (model.remaining.length === 0) out.push('None.');
  for (const g of model.remaining) {
    const cancelled = g.cancelled.length ? `; cancelled by the kill switch: ${g.cancelled.map(code).join(', ')}` : '';
    out.push(`- **${g.root_cause_id}** (${code(g.fingerprint)}): failed: ${g.failed.map(code).join(', ') || 'none'}${cancelled}. ${plainText(g.why)}.`);
  }
  out.push('', '## Recommendations', '');
  model.recommendations.forEach((r, i) => out.push(`${i + 1}. ${r.text}`));
  out.push('', '## Issues filed', '', ...issuesSection(model), '');
  out.push('## Accounting', '', 'Every condition that did not simply succeed, and how it is accounted for:', '', ...accountingSection(model), '');
  return fitToWidth(redact(out.join('\n')).split('\n')).join('\n');
}

/**
 * Lines longer than WIDTH wrapped: list items and numbered items continue under their text, paragraphs at
 * the margin. Tables (the sections keep them narrow), headings and link definitions stay as they are.
 */
function fitToWidth(lines: string[]): string[] {
  return lines.flatMap((line) => {
    if (columns(line) <= WIDTH || /^(\||#|\[[^\]]+\]: | )/.test(line)) return [line];
    const marker = /^(?:- |\d+\. )/.exec(line)?.[0] ?? '';
    return wrap(line, ' '.repeat(marker.length));
  });
}

export async function writeMarkdownReport(outputsDir: string, model: ReportModel, now: Date): Promise<string> {
  const path = markdownReportPath(outputsDir, model.manifest.experiment_id);
  writeFileDurably(path, renderMarkdownReport(model, now));
  return path;
}
