// outputs/factorial_report_<experiment_id>.md: results, cost per cycle, the factorial grid, root causes per
// batch with the fix attempted and its outcome, recommendations, issues, and an accounting of every
// condition that did not simply succeed. Replaced atomically; the whole text is redacted.
import { basename, join } from 'node:path';
import { writeFileDurably } from '../store/durable-file.js';
import { redact } from '../redaction/redact.js';
import { renderResultsSections } from './markdown-results.js';
import { plainText } from './markdown-text.js';
import { levelText } from './results-analysis.js';
export const markdownReportPath = (outputsDir, experimentId) => join(outputsDir, `factorial_report_${experimentId}.md`);
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)] ?? d).join('');
const money = (x) => `$${x.toFixed(2)}`;
/** Text safe inside a Markdown table cell: literal, on one line. */
const cell = plainText;
/**
 * Redacted inline code. When something was redacted the span is padded with spaces (which Markdown strips),
 * so that redacting the whole document again cannot swallow the closing backtick with the secret's value.
 */
export function inlineCode(text) {
    const safe = redact(text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'"));
    return safe.includes('<redacted>') ? `\` ${safe} \`` : `\`${safe}\``;
}
const code = inlineCode;
const shortCommit = (c) => (c === null ? 'no commit' : c.slice(0, 12));
const OUTCOME_LABEL = {
    succeeded: 'Succeeded',
    failed: 'Failed',
    cancelled: 'Cancelled',
    not_launched: 'Never launched',
    running: 'Still running',
};
export function gridCell(c) {
    if (!c)
        return '–';
    const batch = c.decided_batch && c.decided_batch > 0 ? superscript(c.decided_batch) : '';
    switch (c.outcome) {
        case 'succeeded':
            return `✓${batch}`;
        case 'failed':
            return `✗${batch} (${c.failure?.root_cause_id ?? c.entry.status})`;
        case 'cancelled':
            return `⊘${batch}`;
        case 'running':
            return `…${batch}`;
        case 'not_launched':
            return '·';
    }
}
export function combos(factors) {
    let out = [{}];
    for (const [f, levels] of factors)
        out = out.flatMap((c) => levels.map((l) => ({ ...c, [f]: l })));
    return out;
}
/** The report grid: rows are every combination of the first half of the factors, columns the rest. */
export function gridLayout(model) {
    const factors = Object.entries(model.manifest.factors);
    const split = Math.ceil(factors.length / 2);
    const names = factors.map(([f]) => f);
    const key = (levels) => JSON.stringify(names.map((f) => levels[f] ?? null));
    const byLevels = new Map(model.conditions.map((c) => [key(c.entry.levels), c]));
    return { rowFactors: factors.slice(0, split), colFactors: factors.slice(split), at: (levels) => byLevels.get(key(levels)) };
}
export function renderGrid(model) {
    const { rowFactors, colFactors, at } = gridLayout(model);
    const label = (combo) => Object.entries(combo)
        .map(([f, l]) => levelText(f, l))
        .join(' · ') || 'result';
    const cols = combos(colFactors);
    const corner = `${rowFactors.map(([f]) => f).join(' × ')}${colFactors.length ? ' \\ ' + colFactors.map(([f]) => f).join(' × ') : ''}`;
    const lines = [
        `| ${corner} | ${cols.map((c) => cell(label(c))).join(' | ')} |`,
        `|${' --- |'.repeat(cols.length + 1)}`,
    ];
    for (const row of combos(rowFactors)) {
        const cells = cols.map((col) => gridCell(at({ ...row, ...col })));
        lines.push(`| ${cell(label(row))} | ${cells.map(cell).join(' | ')} |`);
    }
    return lines;
}
export function describeRebuild(r) {
    const head = `rebuild #${r.id} from commit ${shortCommit(r.git_commit)}${r.git_dirty ? ' (dirty)' : ''}, image ${code(r.image)}`;
    if (r.verified)
        return `${head}, digest ${code(r.digest ?? '?')}: verified`;
    const failedStep = r.steps.find((s) => s.exit_code !== 0 || s.timed_out);
    const why = r.refused_reason ?? (failedStep ? `step ${failedStep.name} ${failedStep.timed_out ? 'timed out' : `exited ${failedStep.exit_code}`}` : 'unknown');
    return `${head}${r.digest ? `, digest ${code(r.digest)}` : ''}: NOT verified (${plainText(why)})`;
}
function describeOutcome(c) {
    if (c.relaunched.length === 0)
        return `not relaunched (${c.not_relaunched.length} condition(s))`;
    const batches = [...new Set(c.relaunched.map((r) => r.batch))].join(', ');
    const count = (o) => c.relaunched.filter((r) => r.outcome === o);
    const again = count('failed');
    const sameCause = again.filter((r) => r.category === c.root_cause_id).length;
    const parts = [`${count('succeeded').length} succeeded`];
    if (again.length) {
        const other = again.filter((r) => r.category !== c.root_cause_id).map((r) => r.category);
        parts.push(`${again.length} failed again (${sameCause} with the same cause${other.length ? `, others: ${[...new Set(other)].join(', ')}` : ''})`);
    }
    if (count('cancelled').length)
        parts.push(`${count('cancelled').length} cancelled`);
    if (count('running').length)
        parts.push(`${count('running').length} still running`);
    const notRelaunched = c.not_relaunched.length ? `; ${c.not_relaunched.length} not relaunched` : '';
    return `${c.relaunched.length} relaunched in batch ${batches}: ${parts.join(', ')}${notRelaunched}`;
}
function causesSection(model) {
    if (model.causes.length === 0)
        return ['No failures were aggregated (rule F2) in any batch.'];
    const out = [];
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
        if (c.evidence)
            out.push(`- Evidence: ${code(c.evidence)}`);
        if (c.classified_by_agent.length)
            out.push(`- Classified by the agent, not the engine (it was not confident): ${c.classified_by_agent.map(code).join(', ')}`);
        if (c.fix_strategy)
            out.push(`- Fix strategy: ${c.fix_strategy}`);
        const fixes = c.fixes.length ? c.fixes.map(describeRebuild).join('; ') : 'no rebuild after this batch';
        out.push(`- Fix attempted: ${fixes}`);
        out.push(`- Outcome: ${describeOutcome(c)}`, '');
    }
    return out;
}
function accountingSection(model) {
    const rows = model.conditions.filter((c) => c.disposition.kind !== 'succeeded');
    if (rows.length === 0)
        return ['Every condition succeeded at its first launch.'];
    return [
        '| condition | outcome | batch | accounted for as | detail |',
        '| --- | --- | --- | --- | --- |',
        ...rows.map((c) => {
            const d = c.disposition;
            const detail = d.kind === 'issue' && d.issue.url ? `[${d.issue.action}](${d.issue.url})` : d.note;
            return `| ${code(c.entry.condition)} | ${c.outcome === 'failed' ? `failed (${c.failure?.root_cause_id ?? c.entry.status})` : c.outcome} | ${c.decided_batch ?? '-'} | ${d.kind} | ${d.kind === 'issue' && d.issue.url ? detail : cell(detail)} |`;
        }),
    ];
}
function issuesSection(model) {
    const issues = model.manifest.issues;
    if (issues.length === 0)
        return ['No issues filed.'];
    return issues.map((i) => {
        const where = i.url ? `[${i.url}](${i.url})` : i.draft_path ? `draft ${code(i.draft_path)}` : 'no link';
        return `- ${i.action}: **${i.root_cause_id}** ${where} (${i.conditions.length} condition(s), ${i.at})`;
    });
}
export function renderMarkdownReport(model, now) {
    const m = model.manifest;
    const t = model.totals;
    const s = model.cycle_state;
    const out = [
        `# Factorial experiment report: ${m.experiment_id}`,
        '',
        `Config ${code(basename(m.config_file))} · task ${code(basename(m.skypilot_yaml))} · manifest ${code(`factorial_manifest_${m.experiment_id}.json`)} · generated ${now.toISOString()}`,
        '',
        '## Results',
        '',
        '| outcome | conditions | share |',
        '| --- | ---: | ---: |',
    ];
    for (const o of ['succeeded', 'failed', 'cancelled', 'not_launched', 'running']) {
        if (o === 'running' && t.running === 0)
            continue;
        out.push(`| ${OUTCOME_LABEL[o]} | ${t[o]} | ${model.percentages[o].toFixed(1)}% |`);
    }
    out.push(`| **Total** | **${t.conditions}** | 100% |`, '');
    const auth = s.authorizations ? ` (${s.authorizations} authorization(s) past the default)` : '';
    out.push(`Relaunch cycles used: ${s.current} of ${s.limit} allowed${auth}${s.exhausted ? ', none left (F4)' : ''}.`, '');
    out.push('## Cost', '', '| cycle | jobs | cost | image |', '| --- | ---: | ---: | --- |');
    for (const c of model.cycles)
        out.push(`| ${c.batch === 0 ? '0 (launch)' : c.batch} | ${c.jobs} | ${money(c.cost_usd)} | ${code(c.image)} |`);
    const jobs = model.cycles.reduce((n, c) => n + c.jobs, 0);
    out.push(`| **Total** | **${jobs}** | **${money(model.cost_total_usd)}** | budget ${money(m.budget_usd)}, estimated ${money(m.total_estimated_cost)} |`, '');
    out.push('## Factorial grid', '', '✓ succeeded, ✗ failed (category), ⊘ cancelled, · never launched, … still running, – not in the grid; ' +
        'a superscript is the relaunch batch that decided the cell (none: the original launch).', '', ...renderGrid(model), '');
    out.push(...renderResultsSections(model));
    out.push('## Root causes per batch', '', ...causesSection(model), '');
    out.push('## Remaining failures', '');
    if (model.remaining.length === 0)
        out.push('None.');
    for (const g of model.remaining) {
        const cancelled = g.cancelled.length ? `; cancelled by the kill switch: ${g.cancelled.map(code).join(', ')}` : '';
        out.push(`- **${g.root_cause_id}** (${code(g.fingerprint)}): failed: ${g.failed.map(code).join(', ') || 'none'}${cancelled}. ${plainText(g.why)}.`);
    }
    out.push('', '## Recommendations', '');
    model.recommendations.forEach((r, i) => out.push(`${i + 1}. ${r.text}`));
    out.push('', '## Issues filed', '', ...issuesSection(model), '');
    out.push('## Accounting', '', 'Every condition that did not simply succeed, and how it is accounted for:', '', ...accountingSection(model), '');
    return redact(out.join('\n'));
}
export async function writeMarkdownReport(outputsDir, model, now) {
    const path = markdownReportPath(outputsDir, model.manifest.experiment_id);
    writeFileDurably(path, renderMarkdownReport(model, now));
    return path;
}
