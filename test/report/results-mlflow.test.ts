// The experiment's answer from a real MLflow tracking server: training code logs each attempt with MLflow's
// own Python client and the three documented lines (tags from the SKYLOOP_* env vars), one run without
// them (found through the URL MLflow printed in its log); the report finds every run, and its main effects
// match what this test computes from MLflow's REST API on its own.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';
import { generateReport } from '../../mcp-server/src/report/generate-report.js';
import type { ReportData } from '../../mcp-server/src/report/report-json.js';
import { ExperimentStore } from '../../mcp-server/src/store/experiment-store.js';
import { jobIdentityEnv, type ResultsSettings } from '../../mcp-server/src/tracking/results-settings.js';
import { MLFLOW_SKIP, MLFLOW_VENV, startMlflowServer, type MlflowServer } from '../helpers/mlflow-server.js';
import { tempDir } from '../helpers/paths.js';
import { fullStory } from './report-fixture.js';

const NOW = new Date('2025-06-01T12:00:00Z');
if (!MLFLOW_VENV) console.warn(`results-mlflow tests skipped: ${MLFLOW_SKIP}`);

// What a training script adds (docs/results.md): MLflow reads MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_NAME
// itself; the SKYLOOP_* tags say which condition and attempt the run is.
const TRAIN = `
import json, math, os, sys
import mlflow
for job in json.load(sys.stdin):
    os.environ.update(job["env"])
    print("JOB", job["job_id"], flush=True)
    mlflow.start_run(run_name=job["name"])
    if job["tag"]:
        mlflow.set_tags({k: v for k, v in os.environ.items() if k.startswith("SKYLOOP_")})
    mlflow.log_params(job["params"])
    for step in range(job["steps"]):
        dice = job["final"] - (job["final"] - 0.1) * math.exp(-0.6 * step) + 0.01 * math.sin(step * 1.7 + job["job_id"])
        mlflow.log_metrics({"val_dice": dice, "val_loss": 1.0 - dice + 0.05}, step=step)
    mlflow.end_run(status=job["status"])
`;

const SETTINGS = (uri: string): ResultsSettings => ({
  tracking_uri: uri,
  experiment_name: 'segml-runs',
  metrics: [
    { name: 'val_dice', goal: 'max', summary: 'best' },
    { name: 'val_loss', goal: 'min', summary: 'last' },
  ],
  primary: 'val_dice',
  replicates: ['fold'],
});

const RUN_STATUS: Record<string, string> = { SUCCEEDED: 'FINISHED', CANCELLED: 'KILLED' };

async function rest<T>(uri: string, endpoint: string, body?: unknown): Promise<T> {
  const res = await fetch(`${uri}/api/2.0/mlflow/${endpoint}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, endpoint).toBe(true);
  return (await res.json()) as T;
}

interface RestRun {
  info: { run_id: string; status: string };
  data: { params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] };
}

describe.skipIf(!MLFLOW_VENV)(`the report against a real MLflow server (${MLFLOW_VENV ? 'mlflow server on 127.0.0.1' : MLFLOW_SKIP})`, () => {
  let server: MlflowServer;
  let manifest: Manifest;
  let outputsDir: string;
  const printed = new Map<number, string[]>();
  const untagged = 'dynunet/cbdice/calibration-true/fold-1';

  beforeAll(async () => {
    server = await startMlflowServer(MLFLOW_VENV!);
    manifest = fullStory('segml');
    manifest.results = SETTINGS(server.uri);
    // Every attempt that ran logs a run: succeeded ones finish, failed ones fail, cancelled ones are killed.
    const jobs = manifest.jobs.flatMap((j) =>
      j.attempts.map((a, i) => {
        const lv = j.levels;
        const final = 0.7 + (lv.model === 'sam3' ? 0.06 : 0) + (lv.loss === 'cbdice' ? 0.03 : 0) + (lv.calibration ? -0.01 : 0) + Number(lv.fold) * 0.008;
        return {
          job_id: a.job_id,
          name: a.job_name,
          env: { ...jobIdentityEnv('segml', j.condition, a.batch, i + 1), MLFLOW_EXPERIMENT_NAME: 'segml-runs', MLFLOW_TRACKING_URI: server.uri },
          tag: j.condition !== untagged,
          params: Object.fromEntries(Object.entries(lv).map(([k, v]) => [k, String(v)])),
          steps: a.status === 'SUCCEEDED' ? 12 : 4,
          final,
          status: RUN_STATUS[a.status ?? ''] ?? 'FAILED',
        };
      }),
    );
    const r = await execa(server.venv.python, ['-c', TRAIN], { input: JSON.stringify(jobs), reject: false, env: { MLFLOW_TRACKING_URI: server.uri } });
    expect(r.exitCode, r.stderr).toBe(0);
    let current = 0;
    for (const line of r.stdout.split('\n')) {
      const m = /^JOB (\d+)$/.exec(line);
      if (m) current = Number(m[1]);
      else printed.set(current, [...(printed.get(current) ?? []), line]);
    }
    outputsDir = tempDir('results-mlflow');
    await new ExperimentStore(outputsDir, 'segml').create(manifest, []);
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it('finds every run (tags, else the URL the job printed), stores run id, link and metrics, and the main effects match MLflow', async () => {
    // The job log is what `sky jobs logs` shows: here, MLflow's own output of that job.
    const sky = {
      logs: async (jobId: number, options: { onLine?: (l: string) => void } = {}) => {
        for (const l of printed.get(jobId) ?? []) options.onLine?.(l);
        return { lines: [], line_count: 0, exit_code: 0, command: 'sky jobs logs', truncated: false };
      },
    } as never;
    const report = await generateReport('segml', { outputsDir, now: () => NOW, sky }, { fileIssues: false, env: {} });
    const m = new ExperimentStore(outputsDir, 'segml').read();
    const md = readFileSync(report.markdown_path, 'utf8');
    const data = JSON.parse(readFileSync(report.json_path, 'utf8')) as ReportData;

    const succeeded = m.jobs.filter((j) => j.status === 'SUCCEEDED');
    expect(succeeded).toHaveLength(22);
    for (const j of succeeded) {
      const t = j.attempts.at(-1)!.tracking!;
      expect(t.error, j.condition).toBeNull();
      expect(t.run_id).toMatch(/^[0-9a-f]{32}$/);
      expect(j.mlflow_run_id).toBe(t.run_id);
      expect(t.run_url).toBe(`${server.uri}/#/experiments/${t.run_url!.split('/#/experiments/')[1]!.split('/')[0]}/runs/${t.run_id}`);
      expect(t.run_status).toBe('FINISHED');
      expect(t.found_by).toBe(j.condition === untagged ? 'log_url' : 'tags');
      expect(t.metrics.val_dice).toBeGreaterThan(0.5);
      expect(md).toContain(t.run_url!);
      expect(data.conditions.find((c) => c.condition === j.condition)).toMatchObject({ run_id: t.run_id, run_url: t.run_url, metrics: t.metrics });
    }
    // A failed attempt's run is found too, with MLflow's own status; its values never enter a mean.
    const stubborn = m.jobs.find((j) => j.condition === 'sam3/cbdice/calibration-true/fold-0')!;
    expect(stubborn.attempts.map((a) => a.tracking?.run_status)).toEqual(['FAILED', 'FAILED', 'FAILED']);

    // Independently: every FINISHED run of the experiment, its levels from its params, val_dice's best
    // value from its history, grouped per factor level.
    const exp = await rest<{ experiment: { experiment_id: string } }>(server.uri, `experiments/get-by-name?experiment_name=segml-runs`);
    const { runs } = await rest<{ runs: RestRun[] }>(server.uri, 'runs/search', { experiment_ids: [exp.experiment.experiment_id], filter: "attributes.status = 'FINISHED'", max_results: 1000 });
    expect(runs).toHaveLength(22);
    const rows = await Promise.all(
      runs.map(async (r) => {
        const h = await rest<{ metrics: { value: number }[] }>(server.uri, `metrics/get-history?run_id=${r.info.run_id}&metric_key=val_dice`);
        return { params: Object.fromEntries((r.data.params ?? []).map((p) => [p.key, p.value])), best: Math.max(...h.metrics.map((x) => x.value)) };
      }),
    );
    for (const effect of data.main_effects.filter((e) => e.metric === 'val_dice')) {
      for (const level of effect.levels) {
        const values = rows.filter((r) => r.params[effect.factor] === String(level.level)).map((r) => r.best);
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
        expect(level.n, `${effect.factor}=${level.level}`).toBe(values.length);
        expect(level.mean).toBeCloseTo(mean, 10);
        expect(level.sd).toBeCloseTo(sd, 10);
        expect(level.n + level.missing.length).toBe(24 / effect.levels.length);
      }
    }
    // The two conditions that never succeeded are named as missing, not averaged away.
    expect(md).toMatch(/2 of 24 condition\(s\) have no val_dice and are left out of every mean/);
    expect(md).toContain('sam3/dice_ce/calibration-false/fold-2');
    // Best configuration: sam3 · cbdice · calibration-false over its 3 folds.
    expect(data.top[0]).toMatchObject({ label: 'sam3 · cbdice · calibration-false', n: 3 });

    // The sections this report adds fit an 80-column terminal (link definitions aside).
    const start = md.indexOf('## Results per condition');
    const end = md.indexOf('## Root causes per batch');
    const wide = md.slice(start, end).split('\n').filter((l) => [...l].length > 80 && !/^\[r\d+\]: /.test(l));
    expect(wide).toEqual([]);
    // MCP clients get a compact summary.
    expect(JSON.stringify(report.compact).length).toBeLessThan(1500);
    expect(report.compact).toMatchObject({ runs_found: 22 + 2, tracking: server.uri, primary: { metric: 'val_dice', goal: 'max' } });
  }, 120_000);
});

describe('the report without a tracking server', () => {
  it('says so once and fails nothing', async () => {
    const m = fullStory('notrack');
    m.results = { ...SETTINGS('unused'), tracking_uri: null };
    const outputsDir = tempDir('no-tracking');
    await new ExperimentStore(outputsDir, 'notrack').create(m, []);
    const report = await generateReport('notrack', { outputsDir, now: () => NOW }, { fileIssues: false, env: {} });
    const md = readFileSync(report.markdown_path, 'utf8');
    expect(md.match(/no tracking server configured/g)).toHaveLength(1);
    expect(md).not.toContain('## Main effects');
    expect(report.compact.runs_found).toBe(0);
    expect(new ExperimentStore(outputsDir, 'notrack').read().jobs.every((j) => j.attempts.every((a) => a.tracking === null))).toBe(true);
  });
});
