// The demo's answer checked against MLflow itself: every succeeded condition's run id, link and metrics are
// in the manifest and the report, and the main-effects table equals what this file computes from MLflow's
// REST API alone (runs and their params, metric history), independently of skyloop's code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';

interface RestRun {
  info: { run_id: string; status: string };
  data: { params?: { key: string; value: string }[]; metrics?: { key: string; value: number }[] };
}

async function rest<T>(uri: string, endpoint: string, body?: unknown): Promise<T> {
  const res = await fetch(`${uri}/api/2.0/mlflow/${endpoint}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, endpoint).toBe(true);
  return (await res.json()) as T;
}

/** The rows of the Markdown main-effects table of one metric: factor, level → n, mean. */
function markdownEffects(report: string, metric: string): Map<string, { n: number; mean: number }> {
  const start = report.indexOf(`**${metric}**`);
  // The metric's heading, a blank line, the table's header and separator, then its rows up to a blank line.
  const lines = report.slice(start).split('\n').slice(4);
  const rows = new Map<string, { n: number; mean: number }>();
  for (const line of lines) {
    const m = /^\| (\w+) \| ([^|]+) \| (\d+) \| ([-\d.e]+) \|/.exec(line);
    if (!m) break;
    rows.set(`${m[1]}=${m[2]!.trim()}`, { n: Number(m[3]), mean: Number(m[4]) });
  }
  expect(rows.size, `${metric} table rows`).toBeGreaterThan(0);
  return rows;
}

export async function checkDemoResults(uri: string, outputs: string, report: string): Promise<void> {
  const m = JSON.parse(readFileSync(join(outputs, 'factorial_manifest_seg-losses.json'), 'utf8')) as Manifest;
  const data = JSON.parse(readFileSync(join(outputs, 'factorial_report_seg-losses.json'), 'utf8')) as {
    main_effects: { metric: string; factor: string; levels: { level: string | number | boolean; n: number; mean: number | null; sd: number | null }[] }[];
    conditions: { condition: string; run_id: string | null; metrics: Record<string, number | null> }[];
  };
  const exp = await rest<{ experiment: { experiment_id: string } }>(uri, `experiments/get-by-name?experiment_name=${encodeURIComponent(m.results!.experiment_name)}`);
  const expId = exp.experiment.experiment_id;

  // Every succeeded condition: run id, link and metrics in the manifest and the report.
  const succeeded = m.jobs.filter((j) => j.status === 'SUCCEEDED');
  expect(succeeded).toHaveLength(23);
  for (const j of succeeded) {
    const t = j.attempts.at(-1)!.tracking!;
    expect(t, j.condition).toMatchObject({ run_status: 'FINISHED', error: null });
    // By its tags; or, when the poll that saw the job end came before the run was written, by the URL in its log.
    expect(['tags', 'log_url']).toContain(t.found_by);
    expect(t.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(j.mlflow_run_id).toBe(t.run_id);
    expect(t.run_url).toBe(`${uri}/#/experiments/${expId}/runs/${t.run_id}`);
    expect(typeof t.metrics.val_dice).toBe('number');
    expect(typeof t.metrics.val_loss).toBe('number');
    expect(report).toContain(t.run_url!);
    expect(data.conditions.find((c) => c.condition === j.condition)).toMatchObject({ run_id: t.run_id, metrics: t.metrics });
  }
  // The runs that did not succeed are there too, with the status MLflow recorded.
  const batch0 = m.jobs.map((j) => j.attempts[0]!);
  expect(batch0.filter((a) => a.cancelled_by_kill_switch && a.status === 'CANCELLED').every((a) => a.tracking?.run_status === 'KILLED')).toBe(true);
  expect(batch0.filter((a) => a.status === 'FAILED').every((a) => a.tracking?.run_status === 'FAILED')).toBe(true);

  // Independently, from MLflow's API: the FINISHED runs, their levels (params), val_dice's best value
  // (history) and val_loss's last value, grouped by factor level.
  const { runs } = await rest<{ runs: RestRun[] }>(uri, 'runs/search', { experiment_ids: [expId], filter: "attributes.status = 'FINISHED'", max_results: 1000 });
  expect(runs).toHaveLength(23);
  const rows = await Promise.all(
    runs.map(async (r) => {
      const h = await rest<{ metrics: { value: number }[] }>(uri, `metrics/get-history?run_id=${r.info.run_id}&metric_key=val_dice`);
      return {
        params: Object.fromEntries((r.data.params ?? []).map((p) => [p.key, p.value])),
        val_dice: Math.max(...h.metrics.map((x) => x.value)),
        val_loss: r.data.metrics!.find((x) => x.key === 'val_loss')!.value,
      };
    }),
  );
  for (const metric of ['val_dice', 'val_loss'] as const) {
    const table = markdownEffects(report, metric);
    for (const effect of data.main_effects.filter((e) => e.metric === metric)) {
      for (const level of effect.levels) {
        const values = rows.filter((r) => r.params[effect.factor.toUpperCase()] === String(level.level)).map((r) => r[metric]);
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
        expect(level.n, `${metric} ${effect.factor}=${level.level}`).toBe(values.length);
        expect(level.mean).toBeCloseTo(mean, 10);
        expect(level.sd).toBeCloseTo(sd, 10);
        const label = typeof level.level === 'string' ? level.level : `${effect.factor}-${String(level.level)}`;
        const row = table.get(`${effect.factor}=${label}`);
        expect(row, `${metric} ${effect.factor}=${label} in the Markdown`).toBeDefined();
        expect(row!.n).toBe(values.length);
        expect(Math.abs(row!.mean - mean)).toBeLessThan(5e-4);
      }
    }
  }
  // The missing condition is named, not averaged away; the new sections fit 80 columns.
  expect(report).toMatch(/1 of 24 condition\(s\) have no val_dice and are left out of every mean/);
  const start = report.indexOf('## Results per condition');
  const wide = report.slice(start, report.indexOf('## Root causes per batch')).split('\n').filter((l) => [...l].length > 80 && !/^\[r\d+\]: /.test(l));
  expect(wide).toEqual([]);
}
