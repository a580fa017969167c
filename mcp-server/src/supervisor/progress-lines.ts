// What a person watching the supervisor reads: one line when it attaches, a line per change, a heartbeat
// every few minutes. Every line fits 80 columns (details are in `status`); colour only on a terminal.
import type { StatusChange } from '../factorial/manifest.js';
import type { ExperimentSummary } from '../factorial/summary.js';
import type { KillSwitchDecision } from '../rules/kill-switch.js';

export const WIDTH = 80;
const MAX_CHANGE_LINES = 12;

export interface Paint {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
}

const wrap = (open: number) => (s: string) => `\x1b[${open}m${s}\x1b[0m`;
export const paint = (color: boolean): Paint =>
  color ? { red: wrap(31), green: wrap(32), yellow: wrap(33), dim: wrap(2) } : { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s };

/** Cut to 80 columns (before colour is added). */
export const fit = (line: string): string => (line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`);

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

export function counts(s: ExperimentSummary): string {
  const order = ['SUCCEEDED', 'RUNNING', 'PENDING', 'STARTING', 'RECOVERING', 'CANCELLED'];
  const entries = Object.entries(s.counts).sort((a, b) => rank(a[0], order) - rank(b[0], order) || b[1] - a[1]);
  return entries.map(([st, n]) => `${n} ${abbrev(st)}`).join(' ');
}

const rank = (s: string, order: string[]) => (order.includes(s) ? order.indexOf(s) : s.startsWith('FAILED') ? 10 : 20);
const abbrev = (s: string) => ({ SUCCEEDED: 'ok', RUNNING: 'run', PENDING: 'pend', STARTING: 'start', RECOVERING: 'recov', CANCELLED: 'canc', NOT_LAUNCHED: 'new', FAILED: 'fail' } as Record<string, string>)[s] ?? s.toLowerCase().replace('failed_', 'f-');

/** `seg: batch 0, 24 conditions: 3 ok 18 run 3 failed; $4.20 of est. $28.80` */
export function attachLine(s: ExperimentSummary): string {
  return fit(`${s.experiment_id}: batch ${s.batch}, ${s.total} conditions: ${counts(s)}; $${s.cost_so_far_usd.toFixed(2)} of est. $${s.estimated_cost_usd.toFixed(2)}`);
}

export interface HeartbeatView {
  summary: ExperimentSummary;
  budget_usd: number;
  projected_usd: number;
  eta_s: number | null;
}

/** `02:14 ♥ 80/120 │ 40 ok 38 run 2 failed │ $31/$60 proj $52 │ ETA 1h10m` */
export function heartbeatLine(now: Date, v: HeartbeatView): string {
  const s = v.summary;
  const eta = v.eta_s === null ? '' : ` │ ETA ${duration(v.eta_s)}`;
  const cost = `$${Math.round(s.cost_so_far_usd)}/$${Math.round(v.budget_usd)} proj $${Math.round(v.projected_usd)}`;
  return fit(`${hhmm(now)} ♥ ${s.terminal}/${s.total} │ ${counts(s)} │ ${cost}${eta}`);
}

export function changeLines(now: Date, changes: StatusChange[], kill: KillSwitchDecision[], p: Paint): string[] {
  const t = hhmm(now);
  const lines = changes.slice(0, MAX_CHANGE_LINES).map((c) => {
    const line = fit(`${t} ${c.condition} #${c.job_id} ${c.from ?? 'submitted'} → ${c.to}`);
    return c.to === 'SUCCEEDED' ? p.green(line) : c.to.startsWith('FAILED') ? p.red(line) : line;
  });
  if (changes.length > MAX_CHANGE_LINES) lines.push(p.dim(`${t} … and ${changes.length - MAX_CHANGE_LINES} more changes (status for details)`));
  for (const d of kill.filter((k) => k.fired)) {
    lines.push(p.red(fit(`${t} ⚡ kill switch fired: ${d.reasons[0] ?? d.fingerprint}`)));
    lines.push(p.red(fit(`${t}   cancelled ${d.cancel.length} job(s) sharing ${Object.entries(d.common_levels).map(([k, v]) => `${k}=${v}`).join(' ')}`)));
  }
  return lines;
}

export function noteLine(now: Date, text: string, p: Paint, tone: 'warn' | 'info' = 'info'): string {
  const line = fit(`${hhmm(now)} ${text}`);
  return tone === 'warn' ? p.yellow(line) : line;
}

export function duration(s: number): string {
  const m = Math.round(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
