// Simulated training code that logs to a real MLflow tracking server, when the scenario has a `tracking:`
// block and the job's env names an http(s) MLFLOW_TRACKING_URI: each job gets one run in
// MLFLOW_EXPERIMENT_NAME (created when missing), tagged with the job's SKYLOOP_* env vars the way
// docs/results.md tells training code to, its other env vars as params, and a metric curve per configured
// metric whose final value depends on the condition (the scenario's effects) plus per-job noise. The curve is
// fixed at launch; the run is written through MLflow's REST API when a `sky jobs queue` or `logs` call first
// sees the job terminal (before it prints), stamped with simulated times and ended FINISHED, FAILED or KILLED.
import { isTerminal } from '../sky/job-status.js';
import { MlflowClient, MlflowError, mlflowRunUrl, type MlflowMetric } from '../tracking/mlflow-client.js';
import { attempts, jobStatus, type JobRecord } from './timeline.js';
import type { Scenario, TrackingScenario } from './scenario.js';
import { globMatch, scenarioPath } from './scenario-match.js';
import { readState, simHome, simNow, updateState } from './state.js';

/** What a job will log, fixed at launch (stored with the job). */
export interface TrackingPlan {
  uri: string;
  experiment: string;
  tags: Record<string, string>;
  params: Record<string, string>;
  /** Final value per metric for this job. */
  finals: Record<string, number>;
  steps: number;
  seed: number;
  /** Set once written: the run; or why the last try failed, and how many tries were made. */
  run_id?: string;
  url?: string;
  error?: string;
  tries?: number;
  /** Real UNIX ms when a process started writing it (another process leaves it alone for a minute). */
  claimed?: number;
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY|CREDENTIAL/i;

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** Deterministic uniform value in [0, 1) from a seed and an index. */
const unit = (seed: number, i: number) => hash32(`${seed}:${i}`) / 2 ** 32;

export function planTracking(scenario: Scenario, jobName: string, envs: Record<string, string>): TrackingPlan | undefined {
  const t = scenario.tracking;
  const uri = envs.MLFLOW_TRACKING_URI;
  if (!t || !uri || !/^https?:\/\//i.test(uri)) return undefined;
  // The condition, not the attempt, decides the curve: a relaunch of the same condition trains the same way.
  const seed = hash32(jobName.replace(/-b\d+$/, ''));
  const finals: Record<string, number> = {};
  for (const [name, curve] of Object.entries(t.metrics)) {
    let final = curve.final + curve.spread * (unit(seed, 0) - 0.5) * 2;
    for (const e of t.effects) {
      if (Object.entries(e.match.env).every(([k, pat]) => envs[k] !== undefined && globMatch(pat, envs[k]))) final += e.shift[name] ?? 0;
    }
    finals[name] = final;
  }
  const tags = Object.fromEntries(Object.entries(envs).filter(([k]) => k.startsWith('SKYLOOP_')));
  const params = Object.fromEntries(Object.entries(envs).filter(([k]) => !k.startsWith('SKYLOOP_') && !k.startsWith('MLFLOW_') && !SECRET_NAME.test(k)));
  return { uri: uri.replace(/\/+$/, ''), experiment: envs.MLFLOW_EXPERIMENT_NAME || 'Default', tags, params, finals, steps: t.steps, seed };
}

/** The metric points of a run that ran `fraction` of its planned length, at simulated times. */
export function curvePoints(plan: TrackingPlan, scenario: TrackingScenario, startS: number, endS: number, fraction: number): MlflowMetric[] {
  const out: MlflowMetric[] = [];
  const steps = Math.max(1, Math.floor(plan.steps * Math.min(1, fraction)));
  for (const [i, [name, curve]] of Object.entries(scenario.metrics).entries()) {
    const final = plan.finals[name] ?? curve.final;
    for (let s = 0; s < steps; s++) {
      const progress = (s + 1) / plan.steps;
      const value = final + (curve.start - final) * Math.exp(-4 * progress) + curve.noise * (unit(plan.seed, 1000 * (i + 1) + s) - 0.5) * 2;
      const at = startS + ((endS - startS) * (s + 1)) / steps;
      out.push({ key: name, value, step: s + 1, timestamp: Math.round(at * 1000) });
    }
  }
  return out;
}

const RUN_END: Record<string, 'FINISHED' | 'FAILED' | 'KILLED'> = { SUCCEEDED: 'FINISHED', CANCELLED: 'KILLED' };
const CLAIM_MS = 60_000;
/** A `sky jobs queue` waits at most this long for one tracking call (a busy server answers slowly). */
const REQUEST_TIMEOUT_MS = 20_000;
/** A run that could not be written is tried again by the next calls, this many times in all. */
const MAX_TRIES = 3;

/** Writes the run of every tracked job that is terminal now and not written yet (fast when there is none). */
export async function syncTracking(home = simHome()): Promise<void> {
  const pendingNow = (job: JobRecord, now: number) =>
    job.trk !== undefined && job.trk.run_id === undefined && (job.trk.tries ?? 0) < MAX_TRIES && isTerminal(jobStatus(job, now).status) &&
    (job.trk.claimed === undefined || Date.now() - job.trk.claimed > CLAIM_MS);
  const state = readState(home);
  if (!state.jobs.some((j) => pendingNow(j, simNow(state)))) return;
  const path = scenarioPath(home);
  const scenario = path === undefined ? undefined : (await import('./scenario.js')).loadScenario(path);
  if (!scenario?.tracking) return;
  const claimed = await updateState((s) => {
    const now = simNow(s);
    const mine = s.jobs.filter((j) => pendingNow(j, now));
    for (const j of mine) j.trk!.claimed = Date.now();
    return mine.map((j) => ({ job: j, now }));
  }, home);
  const results = new Map<number, Pick<TrackingPlan, 'run_id' | 'url' | 'error'>>();
  let unreachable: string | undefined;
  for (const { job, now } of claimed) {
    if (unreachable) {
      results.set(job.id, { error: unreachable });
      continue;
    }
    try {
      results.set(job.id, await writeRun(job, scenario, now));
    } catch (e) {
      results.set(job.id, { error: (e as Error).message });
      // A server that is down is down for every job: `sky jobs queue` must not wait on each.
      if (e instanceof MlflowError && e.code === 'NETWORK') unreachable = e.message;
    }
  }
  await updateState((s) => {
    for (const j of s.jobs) {
      const r = results.get(j.id);
      if (!r || !j.trk) continue;
      Object.assign(j.trk, r);
      j.trk.tries = (j.trk.tries ?? 0) + 1;
      if (r.run_id) delete j.trk.error;
      delete j.trk.claimed;
      if (r.url) for (const task of j.tasks) task.log.url = r.url;
    }
  }, home);
}

async function writeRun(job: JobRecord, scenario: Scenario, now: number): Promise<Pick<TrackingPlan, 'run_id' | 'url'>> {
  const plan = job.trk!;
  const client = new MlflowClient(plan.uri, process.env, REQUEST_TIMEOUT_MS);
  const expId = (await client.experimentId(plan.experiment)) ?? (await client.createExperiment(plan.experiment).catch(async (e: Error) => {
    // Another job created it meanwhile.
    const id = await client.experimentId(plan.experiment);
    if (id === null) throw e;
    return id;
  }));
  const task = job.tasks[jobStatus(job, now).taskId] ?? job.tasks[0]!;
  const runs = attempts(task, now);
  const first = runs[0];
  const last = runs.at(-1);
  const startS = first?.start ?? job.sub;
  const endS = last?.end ?? now;
  const status = RUN_END[jobStatus(job, now).status] ?? 'FAILED';
  // A run cut short (failed, cancelled) logged only the first part of a full run's curve.
  const fraction = status === 'FINISHED' ? 1 : (endS - startS) / (scenario.defaults?.duration ?? 30 * 60);
  const run = await client.createRun(expId, job.name, startS * 1000, { ...plan.tags, 'mlflow.runName': job.name });
  const runId = run.info.run_id;
  const params = Object.entries(plan.params).slice(0, 100).map(([key, value]) => ({ key, value: value.slice(0, 500) }));
  await client.logBatch(runId, first ? curvePoints(plan, scenario.tracking!, startS, endS, fraction) : [], params);
  await client.endRun(runId, status, endS * 1000);
  return { run_id: runId, url: mlflowRunUrl(plan.uri, expId, runId) };
}
