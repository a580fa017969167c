// outputs/factorial_report_<experiment_id>.html: the report as pictures, in one self-contained file (inline
// CSS and SVG, a few lines of inline script, nothing fetched): the grid as a heatmap coloured by status or by
// the primary metric, each cell linking to its tracking run and its log excerpt; a timeline of every
// attempt with the kill-switch and relaunch marks; the main-effects plot. Hand-written SVG: three simple
// charts do not need a charting library's weight in a file that must work offline. Every text is redacted,
// then escaped; only http(s) URLs become links.
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { redact } from '../redaction/redact.js';
import type { Attempt } from '../factorial/manifest.js';
import { combos, gridLayout } from './markdown-report.js';
import { attemptOutcome, type ConditionReport, type Level, type Outcome, type ReportModel } from './report-model.js';
import { fmt, levelText, type MainEffect } from './results-analysis.js';

export const htmlReportPath = (outputsDir: string, experimentId: string): string => join(outputsDir, `factorial_report_${experimentId}.html`);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Redacted, then escaped for HTML text and attribute values. */
export const esc = (s: string): string => redact(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const safeUrl = (u: string | null | undefined): string | null => (u && /^https?:\/\/[^\s"'<>]+$/i.test(u) ? u : null);
const money = (x: number) => `$${x.toFixed(2)}`;

const STATUS_COLOR: Record<Outcome, string> = {
  succeeded: '#b7e1b9',
  failed: '#f4a6a6',
  cancelled: '#f9d18b',
  running: '#a9cdf2',
  not_launched: '#e4e4e4',
};
const STATUS_MARK: Record<Outcome, string> = { succeeded: '✓', failed: '✗', cancelled: '⊘', running: '…', not_launched: '·' };

/** From light (worst) to dark (best) blue: t in [0, 1]. */
function ramp(t: number): string {
  const a = [239, 246, 255];
  const b = [19, 64, 140];
  const c = a.map((x, i) => Math.round(x + (b[i]! - x) * Math.min(1, Math.max(0, t))));
  return `rgb(${c.join(',')})`;
}

const slugId = (condition: string) => `c-${condition.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

function heatmap(model: ReportModel): string {
  const { rowFactors, colFactors, at } = gridLayout(model);
  const values = new Map(model.results.conditions.map((c) => [c.condition, c]));
  const primary = model.results.primary;
  const nums = model.results.conditions.flatMap((c) => (primary && c.values[primary.name] != null ? [c.values[primary.name] as number] : []));
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const label = (combo: Record<string, Level>) => Object.entries(combo).map(([f, l]) => levelText(f, l)).join(' · ') || 'result';
  const cols = combos(colFactors);
  const head = `<tr><th>${esc(rowFactors.map(([f]) => f).join(' × '))}${colFactors.length ? ` \\ ${esc(colFactors.map(([f]) => f).join(' × '))}` : ''}</th>${cols.map((c) => `<th>${esc(label(c))}</th>`).join('')}</tr>`;
  const rows = combos(rowFactors).map((row) => {
    const cells = cols.map((col) => {
      const c = at({ ...row, ...col });
      if (!c) return '<td class="empty">–</td>';
      const v = values.get(c.entry.condition);
      const value = primary ? v?.values[primary.name] : null;
      const t = value == null || !primary || hi === lo ? 0.5 : primary.goal === 'max' ? (value - lo) / (hi - lo) : (hi - value) / (hi - lo);
      const metricColor = value == null ? '#e4e4e4' : ramp(0.15 + 0.85 * t);
      const dark = value != null && t > 0.55;
      const run = safeUrl(v?.tracking?.run_url);
      const status = `${STATUS_MARK[c.outcome]}${c.outcome === 'failed' ? ` ${c.failure?.root_cause_id ?? c.entry.status}` : ''}`;
      const metric = value == null ? '' : `<span class="v">${esc(fmt(value))}</span>`;
      const title = `${c.entry.condition}: ${c.disposition.note}`;
      const links = [
        run ? `<a class="run" href="${esc(run)}" target="_blank" rel="noopener">run</a>` : '<span class="norun">no run</span>',
        `<a class="log" href="#${slugId(c.entry.condition)}">log</a>`,
      ].join(' ');
      return (
        `<td class="cell${dark ? ' dark' : ''}" data-condition="${esc(c.entry.condition)}" data-outcome="${c.outcome}" ` +
        `style="--status:${STATUS_COLOR[c.outcome]};--metric:${metricColor}" title="${esc(title)}">` +
        `<span class="s">${esc(status)}</span>${metric}<span class="links">${links}</span></td>`
      );
    });
    return `<tr><th>${esc(label(row))}</th>${cells.join('')}</tr>`;
  });
  const legend = Object.entries(STATUS_COLOR).map(([o, color]) => `<span class="key" style="background:${color}">${STATUS_MARK[o as Outcome]} ${o.replace('_', ' ')}</span>`).join(' ');
  const scale = primary && nums.length
    ? `<span class="key" style="background:${ramp(0.15)}">${esc(fmt(primary.goal === 'max' ? lo : hi))}</span> → <span class="key dark" style="background:${ramp(1)}">${esc(fmt(primary.goal === 'max' ? hi : lo))}</span>`
    : '';
  const toggle = primary
    ? `<p class="toggle">Colour by <label><input type="radio" name="colour" value="status" checked> status</label> <label><input type="radio" name="colour" value="metric"> ${esc(primary.name)}</label></p>`
    : '';
  return `${toggle}<table id="grid" class="grid by-status">${head}${rows.join('')}</table><p class="legend by-status-only">${legend}</p>${scale ? `<p class="legend by-metric-only">${esc(primary!.name)}: ${scale}</p>` : ''}`;
}

interface Bar {
  condition: string;
  attempt: Attempt;
  outcome: Outcome;
}

function timeline(model: ReportModel): string {
  const bars: Bar[] = model.conditions.flatMap((c) => c.entry.attempts.filter((a) => a.submitted_at !== null).map((a) => ({ condition: c.entry.condition, attempt: a, outcome: attemptOutcome(a) })));
  if (bars.length === 0) return '<p>No attempt was submitted.</p>';
  bars.sort((x, y) => Date.parse(x.attempt.submitted_at!) - Date.parse(y.attempt.submitted_at!) || x.condition.localeCompare(y.condition));
  const m = model.manifest;
  const times = bars.flatMap((b) => [b.attempt.submitted_at, b.attempt.start_time, b.attempt.end_time].filter((t): t is string => t !== null).map(Date.parse));
  const marks = [
    ...m.kill_switch.map((k) => ({ at: Date.parse(k.at), text: `kill switch (${k.fingerprint.split(':')[0]}): ${k.cancelled.length} cancelled`, cls: 'ks' })),
    ...m.batches.filter((b) => b.batch > 0).map((b) => ({ at: Date.parse(b.started_at), text: `relaunch, batch ${b.batch}`, cls: 'rl' })),
  ];
  const t0 = Math.min(...times, ...marks.map((k) => k.at));
  const t1 = Math.max(...times, ...marks.map((k) => k.at), t0 + 60_000);
  const labelW = 330;
  const plotW = 620;
  const rowH = 14;
  const top = 34;
  const width = labelW + plotW + 90;
  const height = top + bars.length * rowH + 24;
  const x = (t: number) => labelW + ((t - t0) / (t1 - t0)) * plotW;
  const now = t1;
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const a = b.attempt;
    const sub = Date.parse(a.submitted_at!);
    const start = a.start_time ? Date.parse(a.start_time) : null;
    const end = a.end_time ? Date.parse(a.end_time) : now;
    const queuedEnd = start ?? end;
    const parts = [`<rect class="queued" x="${x(sub).toFixed(1)}" y="${y + 3}" width="${Math.max(1, x(queuedEnd) - x(sub)).toFixed(1)}" height="${rowH - 6}"><title>${esc(`${b.condition} batch ${a.batch}: queued`)}</title></rect>`];
    if (start !== null) {
      const what = `${b.condition} batch ${a.batch}: ${a.status ?? 'running'}${a.cancelled_by_kill_switch ? ' (kill switch)' : ''}, ${a.duration_seconds === null ? '?' : Math.round(a.duration_seconds / 60)} min, ${money(a.cost_usd ?? 0)}`;
      parts.push(`<rect class="run ${b.outcome}" x="${x(start).toFixed(1)}" y="${y + 2}" width="${Math.max(1.5, x(end) - x(start)).toFixed(1)}" height="${rowH - 4}" fill="${STATUS_COLOR[b.outcome]}"><title>${esc(what)}</title></rect>`);
    }
    parts.push(`<text class="cost" x="${(x(end) + 4).toFixed(1)}" y="${y + rowH - 3}">${esc(money(a.cost_usd ?? 0))}</text>`);
    return `<text class="lab" x="${labelW - 6}" y="${y + rowH - 3}">${esc(`${b.condition} · b${a.batch}`)}</text>${parts.join('')}`;
  });
  const markSvg = marks.map((k, i) => `<line class="${k.cls}" x1="${x(k.at).toFixed(1)}" x2="${x(k.at).toFixed(1)}" y1="${top - 4}" y2="${height - 20}"/><text class="${k.cls}" x="${(x(k.at) + 3).toFixed(1)}" y="${12 + (i % 2) * 11}">${esc(k.text)}</text>`);
  const minutes = (t1 - t0) / 60_000;
  const step = [5, 10, 15, 30, 60, 120, 240, 480].find((s) => minutes / s <= 8) ?? 960;
  const ticks: string[] = [];
  for (let mnt = 0; mnt <= minutes; mnt += step) {
    const tx = x(t0 + mnt * 60_000);
    ticks.push(`<line class="tick" x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${height - 20}" y2="${height - 16}"/><text class="tick" x="${tx.toFixed(1)}" y="${height - 5}">+${mnt < 60 ? `${mnt} min` : `${(mnt / 60).toFixed(mnt % 60 ? 1 : 0)} h`}</text>`);
  }
  return `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="timeline of every attempt">${rows.join('')}${markSvg.join('')}${ticks.join('')}</svg>`;
}

function effectsPlot(model: ReportModel): string {
  const primary = model.results.primary;
  if (!primary) return '<p>No metrics configured (results.metrics): no main-effects plot.</p>';
  const effects: MainEffect[] = model.results.main_effects.filter((e) => e.metric === primary.name);
  const all = effects.flatMap((e) => e.levels.flatMap((l) => (l.mean === null ? [] : [l.mean - (l.sd ?? 0), l.mean + (l.sd ?? 0)])));
  if (all.length === 0) return `<p>No ${esc(primary.name)} values yet: no main-effects plot.</p>`;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.1;
  lo -= pad;
  hi += pad;
  const slot = 112;
  const h = 214;
  const top = 24;
  const plotH = h - top - 58;
  const left = 54;
  const x0s = effects.map((_, p) => left + effects.slice(0, p).reduce((sum, e) => sum + e.levels.length * slot, 0));
  const width = left + effects.reduce((sum, e) => sum + e.levels.length * slot, 0) + 10;
  const y = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const axis = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo)).map((v) => `<line class="grid" x1="${left}" x2="${width - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="ax" x="${left - 4}" y="${(y(v) + 3).toFixed(1)}">${esc(fmt(v, 3))}</text>`);
  const panels = effects.map((e, p) => {
    const x0 = x0s[p]!;
    const panelW = e.levels.length * slot;
    const xs = e.levels.map((_, i) => x0 + (i + 0.5) * slot);
    const pts = e.levels.map((l, i) => (l.mean === null ? null : [xs[i]!, y(l.mean)] as const));
    const line = pts.filter((q): q is readonly [number, number] => q !== null).map((q) => `${q[0].toFixed(1)},${q[1].toFixed(1)}`).join(' ');
    const marks = e.levels.map((l, i) => {
      const xi = xs[i]!;
      const lab = `<text class="lvl" x="${xi.toFixed(1)}" y="${top + plotH + 14}">${esc(levelText(e.factor, l.level))}</text><text class="n" x="${xi.toFixed(1)}" y="${top + plotH + 26}">n=${l.n}</text>${l.missing.length ? `<text class="n miss" x="${xi.toFixed(1)}" y="${top + plotH + 37}">${l.missing.length} missing</text>` : ''}`;
      if (l.mean === null) return lab;
      const bar = l.sd === null ? '' : `<line class="err" x1="${xi.toFixed(1)}" x2="${xi.toFixed(1)}" y1="${y(l.mean - l.sd).toFixed(1)}" y2="${y(l.mean + l.sd).toFixed(1)}"/>`;
      return `${bar}<circle class="mean" cx="${xi.toFixed(1)}" cy="${y(l.mean).toFixed(1)}" r="4"><title>${esc(`${e.factor}=${String(l.level)}: mean ${fmt(l.mean)} ± ${fmt(l.sd)} (n=${l.n})`)}</title></circle>${lab}`;
    });
    return `<g class="panel" data-factor="${esc(e.factor)}"><line class="sep" x1="${x0}" x2="${x0}" y1="${top}" y2="${top + plotH}"/><text class="fac" x="${(x0 + panelW / 2).toFixed(1)}" y="14">${esc(e.factor)}</text>${line ? `<polyline class="eff" points="${line}"/>` : ''}${marks.join('')}</g>`;
  });
  return `<svg id="effects" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" role="img" aria-label="main effects of ${esc(primary.name)}">${axis.join('')}${panels.join('')}<text class="ax" x="4" y="${top - 8}">${esc(primary.name)}</text></svg>`;
}

function tables(model: ReportModel): string {
  const r = model.results;
  const out: string[] = [];
  if (r.primary) {
    out.push(`<h2>Best configurations by ${esc(r.primary.name)}</h2><table class="data"><tr><th>configuration</th><th>n</th><th>mean ± sd</th><th>min–max</th></tr>`);
    for (const t of r.top) {
      out.push(`<tr><td>${esc(t.label)}</td><td>${t.n}${t.missing.length ? `/${t.n + t.missing.length}` : ''}</td><td>${esc(fmt(t.mean))}${t.sd === null ? '' : ` ± ${esc(fmt(t.sd, 2))}`}</td><td>${t.n ? `${esc(fmt(t.min, 3))}–${esc(fmt(t.max, 3))}` : '–'}</td></tr>`);
    }
    out.push('</table>');
  }
  if (r.caveats.length) out.push(`<ul class="caveats">${r.caveats.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`);
  const tc = model.time_cost;
  out.push(`<h2>Time and cost against the estimate</h2><p>Estimate per run: ${esc(money(tc.per_run_estimate_usd))}, ${tc.expected_hours.toFixed(2)} h.</p>`);
  out.push('<table class="data"><tr><th>cycle</th><th>jobs</th><th>estimate</th><th>cost</th><th>h/job expected</th><th>h/job mean</th><th>wall h</th></tr>');
  for (const c of tc.cycles) {
    out.push(`<tr><td>${c.batch}</td><td>${c.jobs}</td><td>${money(c.estimated_usd)}</td><td>${money(c.cost_usd)}</td><td>${c.expected_hours.toFixed(2)}</td><td>${c.mean_hours?.toFixed(2) ?? '–'}</td><td>${c.wall_hours?.toFixed(2) ?? '–'}</td></tr>`);
  }
  out.push('</table>');
  return out.join('');
}

function logExcerpts(model: ReportModel): string {
  const items = model.conditions.map((c: ConditionReport) => {
    const lines = c.entry.attempts.map((a) => {
      const what = a.failure?.line ?? a.launch_error ?? a.failure_reason;
      const run = a.tracking?.run_url ? ` · run ${a.tracking.run_id ?? ''} (${a.tracking.run_status ?? '?'})` : a.tracking?.error ? ` · tracking: ${a.tracking.error}` : '';
      return `batch ${a.batch} · job ${a.job_id ?? '-'} · ${a.status ?? a.launch_state}${a.cancelled_by_kill_switch ? ' (kill switch)' : ''}${run}${what ? `\n  ${what}` : ''}`;
    });
    return `<details id="${slugId(c.entry.condition)}"><summary>${esc(c.entry.condition)} — ${esc(c.disposition.note)}</summary><pre>${esc(lines.join('\n') || 'never launched')}</pre></details>`;
  });
  return items.join('');
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d1f;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555}.note{background:#fff6d5;padding:6px 10px;border-radius:4px}
table.grid{border-collapse:collapse}table.grid th{font-weight:600;padding:4px 8px;text-align:left;background:#f4f4f6}
td.cell{padding:6px 8px;min-width:96px;border:2px solid #fff;vertical-align:top;background:var(--status)}
table.by-metric td.cell{background:var(--metric)}table.by-metric td.cell.dark,table.by-metric td.cell.dark a{color:#fff}
td.cell .s{display:block;font-weight:600}td.cell .v{display:block;font-variant-numeric:tabular-nums}
td.cell .links{font-size:12px}td.cell a{color:#0b3d91}.norun{color:#777;font-size:12px}
td.empty{color:#999;text-align:center}
.legend .key{display:inline-block;padding:1px 6px;border-radius:3px;margin-right:4px}.key.dark{color:#fff}
.by-metric-only{display:none}body.metric .by-metric-only{display:block}body.metric .by-status-only{display:none}
table.data{border-collapse:collapse}table.data td,table.data th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:right}
table.data td:first-child,table.data th:first-child{text-align:left}
svg text{font:11px system-ui,sans-serif;fill:#333}svg text.lab{text-anchor:end}svg text.cost{fill:#666;font-size:10px}
svg rect.queued{fill:#d9d9de}svg line.ks{stroke:#c62828;stroke-width:1.5;stroke-dasharray:4 3}svg text.ks{fill:#c62828}
svg line.rl{stroke:#1565c0;stroke-width:1.5;stroke-dasharray:4 3}svg text.rl{fill:#1565c0}
svg line.tick{stroke:#999}svg text.tick{text-anchor:middle;fill:#666}
svg line.grid{stroke:#eee}svg line.sep{stroke:#ccc}svg text.ax{text-anchor:end;fill:#666}svg text.fac{text-anchor:middle;font-weight:600}
svg text.lvl,svg text.n{text-anchor:middle}svg text.n{fill:#777;font-size:10px}svg text.miss{fill:#c62828}
svg polyline.eff{fill:none;stroke:#13408c;stroke-width:1.5}svg circle.mean{fill:#13408c}svg line.err{stroke:#13408c;stroke-width:2}
details{margin:2px 0}details pre{background:#f6f6f8;padding:6px 10px;white-space:pre-wrap;margin:4px 0}
details:target summary{background:#fff3b0}
`;

const SCRIPT = `document.querySelectorAll('input[name=colour]').forEach(function(r){r.addEventListener('change',function(){var m=r.value==='metric'&&r.checked;document.getElementById('grid').className='grid '+(m?'by-metric':'by-status');document.body.className=m?'metric':'';});});document.querySelectorAll('a.log').forEach(function(a){a.addEventListener('click',function(){var d=document.querySelector(a.getAttribute('href'));if(d)d.open=true;});});`;

export function renderHtmlReport(model: ReportModel, now: Date): string {
  const m = model.manifest;
  const t = model.totals;
  const found = model.results.conditions.filter((c) => c.tracking?.run_id).length;
  const tracking = model.tracking.note
    ? `<p class="note">No tracking results: ${esc(model.tracking.note)}. The report covers the infrastructure only.</p>`
    : `<p class="meta">Tracking: ${esc(model.tracking.server ?? '')} · ${found} of ${t.conditions} conditions have a run.</p>`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(`skyloop report: ${m.experiment_id}`)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>${esc(m.experiment_id)}</h1>`,
    `<p class="meta">${t.succeeded} succeeded · ${t.failed} failed · ${t.cancelled} cancelled · ${t.not_launched} never launched${t.running ? ` · ${t.running} running` : ''} — ` +
      `cost ${esc(money(model.cost_total_usd))} of ${esc(money(m.total_estimated_cost))} estimated (budget ${esc(money(m.budget_usd))}) — generated ${esc(now.toISOString())}</p>`,
    tracking,
    '<h2>Grid</h2>',
    heatmap(model),
    model.results.primary ? `<h2>Main effects of ${esc(model.results.primary.name)}</h2>` : '<h2>Main effects</h2>',
    effectsPlot(model),
    tables(model),
    '<h2>Every attempt</h2>',
    '<p class="meta">Grey: queued; coloured: running, by outcome; dashed red: the kill switch fired; dashed blue: a relaunch. The cost of each attempt follows its bar.</p>',
    timeline(model),
    '<h2>Log excerpts</h2>',
    logExcerpts(model),
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

export async function writeHtmlReport(outputsDir: string, model: ReportModel, now: Date): Promise<string> {
  const path = htmlReportPath(outputsDir, model.manifest.experiment_id);
  await writeFileAtomic(path, renderHtmlReport(model, now), { fsync: true });
  return path;
}
