// The report's answer in Markdown: results per condition (status, attempts, time, cost, metrics, run link),
// main effects, the best configurations with their spread, what the numbers cannot say, and time and cost
// against the estimate. Every line fits an 80-column terminal, except link definitions (a URL is a URL).
import { fmt, levelText, type ResultsAnalysis } from './results-analysis.js';
import type { ConditionReport, ReportModel } from './report-model.js';
import { wrap } from './markdown-text.js';

const money = (x: number) => `$${x.toFixed(2)}`;
const hours = (h: number | null) => (h === null ? '–' : h < 1 ? `${Math.round(h * 60)} min` : `${h.toFixed(1)} h`);

export const OUTCOME_SYMBOL: Record<ConditionReport['outcome'], string> = { succeeded: '✓', failed: '✗', cancelled: '⊘', running: '…', not_launched: '·' };

function conditionsSection(model: ReportModel, ref: (url: string) => string): string[] {
  const byCondition = new Map(model.results.conditions.map((c) => [c.condition, c]));
  const tc = new Map(model.time_cost.conditions.map((c) => [c.condition, c]));
  const out: string[] = [];
  for (const c of model.conditions) {
    const r = byCondition.get(c.entry.condition);
    const t = tc.get(c.entry.condition);
    const parts = [`${OUTCOME_SYMBOL[c.outcome]} ${c.outcome === 'failed' ? `failed (${c.failure?.root_cause_id ?? c.entry.status})` : c.outcome.replace('_', ' ')}`];
    if (t) parts.push(`${t.attempts} attempt${t.attempts === 1 ? '' : 's'}`, hours(t.hours), money(t.cost_usd));
    for (const m of model.results.metrics) {
      const v = r?.values[m.name];
      if (v !== null && v !== undefined) parts.push(`${m.name} ${fmt(v)}`);
    }
    const tracking = r?.tracking;
    if (tracking?.run_url) parts.push(`[run ${(tracking.run_id ?? '').slice(0, 8) || 'link'}][${ref(tracking.run_url)}]`);
    else if (r?.why_missing && model.tracking.server !== null && c.outcome === 'succeeded') parts.push(r.why_missing);
    out.push(...wrap(`- \`${c.entry.condition}\`: ${parts.join(' · ')}`));
  }
  return out;
}

function mainEffectsSection(results: ResultsAnalysis): string[] {
  const out: string[] = [];
  for (const metric of results.metrics) {
    out.push(`**${metric.name}** (${metric.summary} value of each run, ${metric.goal === 'max' ? 'higher' : 'lower'} is better)`, '');
    out.push('| factor | level | n | mean | sd | missing |', '| --- | --- | ---: | ---: | ---: | ---: |');
    for (const e of results.main_effects.filter((x) => x.metric === metric.name)) {
      for (const l of e.levels) {
        out.push(`| ${e.factor} | ${levelText(e.factor, l.level)} | ${l.n} | ${fmt(l.mean)} | ${fmt(l.sd)} | ${l.missing.length || ''} |`);
      }
    }
    out.push('');
  }
  return out;
}

function topSection(results: ResultsAnalysis): string[] {
  const p = results.primary;
  if (!p) return [];
  const over = results.replicates.length ? ` over ${results.replicates.join(' × ')}` : '';
  const out = [`Ranked by mean ${p.name} (${p.goal === 'max' ? 'higher' : 'lower'} is better)${over}:`, ''];
  out.push('| configuration | n | mean ± sd | min–max |', '| --- | ---: | ---: | ---: |');
  for (const t of results.top) {
    const spread = t.sd === null ? fmt(t.mean) : `${fmt(t.mean)} ± ${fmt(t.sd, 2)}`;
    const range = t.n === 0 ? '–' : `${fmt(t.min, 3)}–${fmt(t.max, 3)}`;
    out.push(`| ${t.label} | ${t.n}${t.missing.length ? `/${t.n + t.missing.length}` : ''} | ${spread} | ${range} |`);
  }
  return out;
}

function timeCostSection(model: ReportModel): string[] {
  const tc = model.time_cost;
  const out = [
    ...wrap(`Estimate: ${hours(tc.expected_hours)} and ${money(tc.per_run_estimate_usd)} per run (the launch estimate divided by the conditions).`, ''),
    '',
    '| cycle | jobs | estimate | cost | h/job expected | h/job mean | wall |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of tc.cycles) {
    out.push(`| ${c.batch} | ${c.jobs} | ${money(c.estimated_usd)} | ${money(c.cost_usd)} | ${c.expected_hours.toFixed(2)} | ${c.mean_hours === null ? '–' : c.mean_hours.toFixed(2)} | ${hours(c.wall_hours)} |`);
  }
  out.push('');
  if (tc.over_estimate.length === 0) out.push('No condition cost twice its estimate or more.');
  else {
    out.push('Conditions that cost at least twice the estimate of one run:', '');
    for (const c of tc.over_estimate) {
      out.push(...wrap(`- \`${c.condition}\`: ${money(c.cost_usd)} (${c.ratio}×) over ${c.attempts} attempts, ${hours(c.hours)}`));
    }
  }
  return out;
}

export function renderResultsSections(model: ReportModel): string[] {
  const refs = new Map<string, string>();
  const ref = (url: string) => {
    if (!refs.has(url)) refs.set(url, `r${refs.size + 1}`);
    return refs.get(url)!;
  };
  const out: string[] = ['## Results per condition', ''];
  if (model.tracking.note) out.push(...wrap(`No tracking results: ${model.tracking.note}. The report covers the infrastructure only.`, ''), '');
  else if (model.results.metrics.length === 0) out.push(...wrap('No metrics configured (results.metrics in the config): runs are linked, not compared.', ''), '');
  out.push(...conditionsSection(model, ref), '');
  if (!model.tracking.note && model.results.metrics.length > 0) {
    out.push('## Main effects', '', ...wrap('Mean ± sample sd over the other factors, succeeded conditions only; "missing" counts conditions at that level without a value.', ''), '');
    out.push(...mainEffectsSection(model.results));
    out.push('## Best configurations', '', ...topSection(model.results), '');
    if (model.results.caveats.length) out.push(...model.results.caveats.flatMap((c) => wrap(`- ${c}`)), '');
  }
  out.push('## Time and cost against the estimate', '', ...timeCostSection(model), '');
  if (refs.size) out.push(...[...refs].map(([url, id]) => `[${id}]: ${url}`), '');
  return out;
}
