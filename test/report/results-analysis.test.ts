// The pure computations behind the report's answer: statistics, main effects, ranking with spread, the
// caveats, a metric's summary, which run belongs to an attempt, and where MLflow credentials may go.
import { describe, expect, it } from 'vitest';
import type { JobEntry, Tracking } from '../../mcp-server/src/factorial/manifest.js';
import { analyzeResults, fmt, stats } from '../../mcp-server/src/report/results-analysis.js';
import { mlflowAuthorization, mlflowRunUrl, parseMlflowRunUrl, type MlflowRun } from '../../mcp-server/src/tracking/mlflow-client.js';
import { runOfAttempt, runUrlInLine, summarizeMetric } from '../../mcp-server/src/tracking/run-metrics.js';
import type { ResultsSettings } from '../../mcp-server/src/tracking/results-settings.js';

const SETTINGS: ResultsSettings = {
  tracking_uri: 'http://127.0.0.1:5000',
  experiment_name: 'e',
  metrics: [{ name: 'dice', goal: 'max', summary: 'last' }],
  primary: 'dice',
  replicates: ['fold'],
};
const FACTORS = { model: ['a', 'b'], fold: [0, 1] };

function entry(model: string, fold: number, dice: number | null, status = 'SUCCEEDED'): { entry: JobEntry; outcome: string } {
  const tracking: Tracking = { run_id: 'r', run_url: 'u', run_status: 'FINISHED', found_by: 'tags', metrics: { dice }, read_at: '', error: null };
  const attempt = { batch: 0, tracking } as unknown as JobEntry['attempts'][number];
  return {
    entry: { condition: `${model}/fold-${fold}`, levels: { model, fold }, status, attempts: [attempt] } as unknown as JobEntry,
    outcome: status === 'SUCCEEDED' ? 'succeeded' : 'failed',
  };
}

describe('stats', () => {
  it('mean, sample sd (n-1), min and max; no sd below two values', () => {
    expect(stats([1, 2, 3, 4])).toEqual({ n: 4, mean: 2.5, sd: Math.sqrt(5 / 3), min: 1, max: 4 });
    expect(stats([7])).toEqual({ n: 1, mean: 7, sd: null, min: 7, max: 7 });
    expect(stats([])).toEqual({ n: 0, mean: null, sd: null, min: null, max: null });
  });
  it('formats values to four significant digits, at most four decimals', () => {
    expect([fmt(0.81234), fmt(0.0051234), fmt(123.456), fmt(null), fmt(2e-5), fmt(4.01e-4)]).toEqual(['0.8123', '0.0051', '123.5', '–', '2.00e-5', '0.0004']);
  });
});

describe('analyzeResults', () => {
  const conditions = [entry('a', 0, 0.7), entry('a', 1, 0.8), entry('b', 0, 0.9), entry('b', 1, 0.5, 'FAILED')];
  const r = analyzeResults(SETTINGS, FACTORS, conditions);

  it('takes main effects over succeeded conditions only, naming the missing ones', () => {
    const model = r.main_effects.find((e) => e.factor === 'model')!;
    expect(model.levels[0]).toMatchObject({ level: 'a', n: 2, mean: 0.75, missing: [] });
    expect(model.levels[1]).toMatchObject({ level: 'b', n: 1, mean: 0.9, sd: null, missing: [{ condition: 'b/fold-1', why: 'failed (FAILED)' }] });
    const fold = r.main_effects.find((e) => e.factor === 'fold')!;
    expect(fold.levels.map((l) => [l.level, l.n, l.mean])).toEqual([[0, 2, 0.8], [1, 1, 0.8]]);
  });

  it('ranks configurations by the primary metric across replicates and says when n is too small', () => {
    expect(r.top.map((t) => [t.label, t.n, t.mean])).toEqual([['b', 1, 0.9], ['a', 2, 0.75]]);
    expect(r.top[1]!.sd).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(r.caveats.join('\n')).toMatch(/1 of 4 condition\(s\) have no dice .*b\/fold-1 \(failed \(FAILED\)\)/);
    expect(r.caveats.join('\n')).toMatch(/1 configuration\(s\) have fewer than 2 fold values, so no spread: b \(n=1\)/);
  });

  it('ranks lower-is-better metrics ascending, and calls a gap within one sd no clear winner', () => {
    const min = analyzeResults({ ...SETTINGS, metrics: [{ name: 'dice', goal: 'min', summary: 'last' }] }, FACTORS, [
      entry('a', 0, 0.70), entry('a', 1, 0.80), entry('b', 0, 0.74), entry('b', 1, 0.78),
    ]);
    expect(min.top.map((t) => t.label)).toEqual(['a', 'b']);
    expect(min.caveats.join('\n')).toMatch(/differ by 0\.01 in mean dice, less than one standard deviation across fold: not a clear winner/);
  });
});

describe('runs and metrics', () => {
  const run = (id: string, condition: string, batch: number, status: string, start: number): MlflowRun => ({
    info: { run_id: id, experiment_id: '1', status, start_time: start },
    data: { tags: [{ key: 'SKYLOOP_CONDITION', value: condition }, { key: 'SKYLOOP_BATCH', value: String(batch) }] },
  });

  it("picks an attempt's run by condition and batch: a finished one over one a preempted cluster left RUNNING, then the newest", () => {
    const runs = [run('old', 'c', 0, 'FINISHED', 1), run('left', 'c', 0, 'RUNNING', 3), run('new', 'c', 0, 'FINISHED', 2), run('other', 'c', 1, 'FINISHED', 9)];
    expect(runOfAttempt(runs, 'c', 0)?.info.run_id).toBe('new');
    expect(runOfAttempt(runs, 'c', 2)).toBeUndefined();
  });

  it('summarises a metric as its last value by step or its best by goal, skipping NaN', () => {
    const h = [{ key: 'm', value: 0.5, step: 0, timestamp: 1 }, { key: 'm', value: 0.9, step: 1, timestamp: 2 }, { key: 'm', value: 0.7, step: 2, timestamp: 3 }, { key: 'm', value: NaN, step: 3, timestamp: 4 }];
    expect(summarizeMetric(h, { goal: 'max', summary: 'last' })).toBe(0.7);
    expect(summarizeMetric(h, { goal: 'max', summary: 'best' })).toBe(0.9);
    expect(summarizeMetric(h, { goal: 'min', summary: 'best' })).toBe(0.5);
    expect(summarizeMetric([], { goal: 'min', summary: 'last' })).toBeNull();
  });

  it("reads MLflow's printed run URL back into server, experiment and run", () => {
    const url = mlflowRunUrl('http://127.0.0.1:5000/', '3', 'ddcd069bba0b490d807ae2f2486ad45c');
    expect(url).toBe('http://127.0.0.1:5000/#/experiments/3/runs/ddcd069bba0b490d807ae2f2486ad45c');
    expect(runUrlInLine(`(train, pid=1) 🏃 View run train-7 at: ${url}`)).toBe(url);
    expect(parseMlflowRunUrl(url)).toEqual({ base: 'http://127.0.0.1:5000', experiment_id: '3', run_id: 'ddcd069bba0b490d807ae2f2486ad45c' });
    expect(parseMlflowRunUrl('http://x/#/experiments/3')).toBeNull();
  });

  it('sends MLflow credentials only over https or to a loopback server', () => {
    const env = { MLFLOW_TRACKING_TOKEN: 't0k' };
    expect(mlflowAuthorization(new URL('https://mlflow.example.com'), env)).toBe('Bearer t0k');
    expect(mlflowAuthorization(new URL('http://127.0.0.1:5000'), env)).toBe('Bearer t0k');
    expect(mlflowAuthorization(new URL('http://mlflow.example.com'), env)).toBeUndefined();
    expect(mlflowAuthorization(new URL('https://m.example.com'), { MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
