// Manifests for the report tests, built with the real manifest functions: a 2×2×2×3 grid that goes through
// an original launch and two relaunch cycles, with a kill switch, rebuilds, aggregations and secrets planted
// in the evidence.
import { aggregateFailures } from '../../mcp-server/src/diagnosis/aggregate-failures.js';
import { defaultLibrary } from '../../mcp-server/src/diagnosis/default-library.js';
import { fingerprintOf } from '../../mcp-server/src/diagnosis/fingerprint.js';
import { expandConditions, jobName } from '../../mcp-server/src/factorial/conditions.js';
import {
  applyQueue,
  beginBatch,
  createManifest,
  currentAttempt,
  findEntry,
  recordLaunch,
  syncEntry,
  type Failure,
  type Manifest,
  type Rebuild,
} from '../../mcp-server/src/factorial/manifest.js';
import type { JobRecord } from '../../mcp-server/src/sky/job-record.js';

export const SECRET_HF = 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz123456';
export const SECRET_AWS = 'AKIAABCDEFGHIJKLMNOP';

export const FACTORS = { model: ['dynunet', 'sam3'], loss: ['dice_ce', 'cbdice'], calibration: [false, true], fold: [0, 1, 2] };
const T0 = Date.parse('2025-06-01T08:00:00Z');

const OOM_LINE = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB';
// The diagnosis engine redacts evidence lines, but the report must not rely on it.
const DATA_LINE = `FileNotFoundError: s3://seg-data/fold-2/images.zarr not found (aws key ${SECRET_AWS}, HF_TOKEN=${SECRET_HF})`;
const EXC_LINE = "KeyError: 'calibration_temperature'";

export const failure = (category: string, line: string, fixability: Failure['fixability'], exception: string | null = null): Failure => ({
  category,
  fingerprint: fingerprintOf(category, line),
  line,
  confidence: 'high',
  fixability,
  exception_type: exception,
});
export const OOM = failure('OOM_CUDA', OOM_LINE, 'auto', 'torch.OutOfMemoryError');
export const DATA = failure('DATA_MISSING', DATA_LINE, 'unrecoverable', 'FileNotFoundError');
export const EXC = failure('PYTHON_EXCEPTION', EXC_LINE, 'code', 'KeyError');

export const cond = (model: string, loss: string, calibration: boolean, fold: number) => `${model}/${loss}/calibration-${calibration}/fold-${fold}`;

export function newManifest(experimentId = 'seg', maxRelaunchCycles = 2, factors: Manifest['factors'] = FACTORS): Manifest {
  const conditions = expandConditions({ factors, exclude: [] });
  return createManifest({
    experimentId,
    configFile: '/home/alice/seg/experiment.yaml',
    taskYaml: '/home/alice/seg/task.yaml',
    factors,
    conditions,
    image: 'docker:ghcr.io/example/seg-train:v1',
    hourlyRateUsd: 1.2,
    nodesPerJob: 1,
    budgetUsd: 100,
    estimatedCostUsd: 28.8,
    maxRelaunchCycles,
    monitor: { poll_interval_s: 30, stuck_after_s: 600, kill_switch: { enabled: true, min_failures: 3, window_s: 300 } },
    now: new Date(T0),
  });
}

let nextJobId = 1;
const slugOf = (c: string) => c.replace(/\//g, '.');

/** Start a batch for `conditions` and launch them all (job ids assigned in order). */
export function launchBatch(m: Manifest, batch: number, conditions: string[], image: string, launchErrors: Record<string, string> = {}): Map<string, number> {
  beginBatch(
    m,
    {
      batch,
      started_at: new Date(T0 + batch * 3_600_000).toISOString(),
      git_commit: `c0ffee${batch}000000000000000000000000000000000`.slice(0, 40),
      git_dirty: false,
      config_sha256: `cfg${batch}`,
      docker_image: image,
      docker_digest: image.includes('@') ? image.slice(image.indexOf('@') + 1) : null,
    },
    conditions.map((condition) => ({ condition, job_name: jobName(m.experiment_id, { slug: slugOf(condition) }, batch) })),
  );
  const ids = new Map<string, number>();
  for (const c of conditions) {
    if (launchErrors[c]) recordLaunch(m, c, { error: launchErrors[c] });
    else {
      const id = nextJobId++;
      recordLaunch(m, c, { job_id: id });
      ids.set(c, id);
    }
  }
  return ids;
}

export interface Outcome {
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'RUNNING' | 'FAILED_SETUP';
  minutes: number;
  failure?: Failure;
  failure_reason?: string;
}

/** Fold a `sky jobs queue` result into the manifest, then record each failure's diagnosis. */
export function finishBatch(m: Manifest, batch: number, ids: Map<string, number>, outcomes: Record<string, Outcome>, fallback: Outcome = { status: 'SUCCEEDED', minutes: 20 }): void {
  const start = (T0 + batch * 3_600_000) / 1000 + 120;
  const records: JobRecord[] = [...ids].map(([c, job_id]) => {
    const o = outcomes[c] ?? fallback;
    const terminal = o.status !== 'RUNNING';
    return {
      job_id, task_id: 0, job_name: jobName(m.experiment_id, { slug: slugOf(c) }, batch), task_name: 'train', status: o.status,
      resources: '1x[A100:1]', infra: 'aws/us-east-1', submitted_at: start - 60, started_at: start,
      ended_at: terminal ? start + o.minutes * 60 : null, job_duration_s: o.minutes * 60, recovery_count: 0,
      failure_reason: o.failure_reason ?? null, details: null, user: 'alice', workspace: 'default', pool: null, time_precision: 'exact',
    };
  });
  applyQueue(m, records);
  for (const [c, o] of Object.entries(outcomes)) {
    if (!o.failure) continue;
    const entry = findEntry(m, c);
    currentAttempt(entry)!.failure = o.failure;
    syncEntry(entry);
  }
}

export function fireKillSwitch(m: Manifest, batch: number, fingerprint: string, failed: string[], cancelled: string[], common: Record<string, string>): void {
  m.kill_switch.push({ batch, at: new Date(T0 + batch * 3_600_000 + 900_000).toISOString(), fingerprint, failed_conditions: failed, common_levels: common, cancelled });
  for (const c of cancelled) currentAttempt(findEntry(m, c))!.cancelled_by_kill_switch = true;
}

export function aggregate(m: Manifest, batch: number): void {
  const library = defaultLibrary();
  m.aggregations.push(aggregateFailures(m, (id) => library.byName.get(id), new Date(T0 + batch * 3_600_000 + 1_800_000)));
}

export function rebuild(m: Manifest, id: number, afterBatch: number, verified: boolean, refused: string | null = null): Rebuild {
  const r: Rebuild = {
    id,
    at: new Date(T0 + afterBatch * 3_600_000 + 2_400_000 + id).toISOString(),
    after_batch: afterBatch,
    git_commit: `abc${id}def0000000000000000000000000000000000`.slice(0, 40),
    git_dirty: false,
    config_sha256: `cfg${afterBatch + 1}`,
    image: `docker:ghcr.io/example/seg-train:v${id + 1}`,
    digest: verified ? `sha256:${String(id).repeat(64).slice(0, 64)}` : null,
    verified,
    refused_reason: refused,
    steps: [
      { name: 'test', command: 'pytest -q', exit_code: verified ? 0 : 1, duration_s: 12, timed_out: false, output_tail: [] },
    ],
    log_file: `outputs/rebuild_${id}.log`,
  };
  m.rebuilds.push(r);
  return r;
}

const pinnedImage = (r: Rebuild) => `docker:ghcr.io/example/seg-train@${r.digest}`;

/**
 * The full story:
 * - batch 0: 24 launched. sam3+cbdice runs out of GPU memory (4 fail, the kill switch cancels the other 2);
 *   dynunet/dice_ce/calibration-true/fold-2 hits a KeyError; sam3/dice_ce/calibration-false/fold-2 finds no
 *   data (unrecoverable, a secret in its evidence). 17 succeed.
 * - rebuild #1 (verified); batch 1 relaunches the 8: the KeyError one and 5 OOM ones succeed, the OOM of
 *   sam3/cbdice/calibration-true/fold-0 and the missing data remain.
 * - rebuild #2 fails its tests, rebuild #3 is verified; batch 2 relaunches the 2: both fail again. F4 exhausted.
 */
export function fullStory(experimentId = 'seg'): Manifest {
  const m = newManifest(experimentId);
  const all = m.jobs.map((j) => j.condition);
  const sam3cb = [false, true].flatMap((cal) => [0, 1, 2].map((f) => cond('sam3', 'cbdice', cal, f)));
  const stubborn = cond('sam3', 'cbdice', true, 0);
  const keyError = cond('dynunet', 'dice_ce', true, 2);
  const noData = cond('sam3', 'dice_ce', false, 2);
  const oomFailed0 = [cond('sam3', 'cbdice', false, 0), cond('sam3', 'cbdice', false, 1), cond('sam3', 'cbdice', false, 2), stubborn];
  const killed0 = [cond('sam3', 'cbdice', true, 1), cond('sam3', 'cbdice', true, 2)];

  const ids0 = launchBatch(m, 0, all, m.docker_image);
  finishBatch(m, 0, ids0, {
    ...Object.fromEntries(oomFailed0.map((c) => [c, { status: 'FAILED', minutes: 6, failure: OOM }])),
    ...Object.fromEntries(killed0.map((c) => [c, { status: 'CANCELLED', minutes: 2 }])),
    [keyError]: { status: 'FAILED', minutes: 1, failure: EXC },
    [noData]: { status: 'FAILED', minutes: 1, failure: DATA, failure_reason: `exit 1 (${SECRET_HF})` },
  });
  fireKillSwitch(m, 0, OOM.fingerprint, oomFailed0.slice(0, 3), killed0, { model: 'sam3', loss: 'cbdice' });
  aggregate(m, 0);

  const r1 = rebuild(m, 1, 0, true);
  const relaunch1 = [...sam3cb, keyError, noData];
  const ids1 = launchBatch(m, 1, relaunch1, pinnedImage(r1));
  m.current_cycle = 1;
  finishBatch(m, 1, ids1, {
    [stubborn]: { status: 'FAILED', minutes: 7, failure: OOM },
    [noData]: { status: 'FAILED', minutes: 1, failure: DATA },
  });
  aggregate(m, 1);

  rebuild(m, 2, 1, false, 'step test exited 1');
  const r3 = rebuild(m, 3, 1, true);
  const ids2 = launchBatch(m, 2, [stubborn, noData], pinnedImage(r3));
  m.current_cycle = 2;
  finishBatch(m, 2, ids2, {
    [stubborn]: { status: 'FAILED', minutes: 7, failure: OOM },
    [noData]: { status: 'FAILED', minutes: 1, failure: DATA },
  });
  aggregate(m, 2);
  return m;
}

export const STORY = {
  stubborn: cond('sam3', 'cbdice', true, 0),
  noData: cond('sam3', 'dice_ce', false, 2),
  keyError: cond('dynunet', 'dice_ce', true, 2),
};

/**
 * Batch 0 only, still within the cycle limit, every kind of outcome: succeeded, OOM failures, kill-switch
 * cancellations, a launch failure, a user cancellation, a job still running and a condition never launched.
 */
export function mixedBatch0(experimentId = 'mixed'): Manifest {
  const m = newManifest(experimentId);
  const neverLaunched = cond('dynunet', 'dice_ce', false, 0);
  const launched = m.jobs.map((j) => j.condition).filter((c) => c !== neverLaunched);
  const launchFailed = cond('dynunet', 'dice_ce', false, 1);
  const ids = launchBatch(m, 0, launched, m.docker_image, { [launchFailed]: `sky.exceptions.ResourcesUnavailableError: no capacity; token ghp_${'x'.repeat(36)}` });
  const oom = [cond('sam3', 'cbdice', false, 0), cond('sam3', 'cbdice', false, 1), cond('sam3', 'cbdice', false, 2)];
  const killed = [cond('sam3', 'cbdice', true, 0), cond('sam3', 'cbdice', true, 1)];
  finishBatch(m, 0, ids, {
    ...Object.fromEntries(oom.map((c) => [c, { status: 'FAILED', minutes: 6, failure: OOM }])),
    ...Object.fromEntries(killed.map((c) => [c, { status: 'CANCELLED', minutes: 2 }])),
    [cond('dynunet', 'cbdice', true, 2)]: { status: 'CANCELLED', minutes: 3 },
    [cond('sam3', 'cbdice', true, 2)]: { status: 'RUNNING', minutes: 9 },
    [cond('dynunet', 'cbdice', false, 2)]: { status: 'FAILED_SETUP', minutes: 0, failure_reason: 'setup exited 2' },
    [cond('sam3', 'dice_ce', true, 1)]: { status: 'FAILED', minutes: 1, failure: DATA },
  });
  fireKillSwitch(m, 0, OOM.fingerprint, oom, killed, { model: 'sam3', loss: 'cbdice' });
  aggregate(m, 0);
  return m;
}

/** The story's manifest with tracking read for every terminal attempt, as a poll would have stored it. */
export function withTracking(experimentId: string, now: Date): Manifest {
  const m = fullStory(experimentId);
  m.results = {
    tracking_uri: 'http://127.0.0.1:5999',
    experiment_name: experimentId,
    metrics: [{ name: 'val_dice', goal: 'max', summary: 'best' }],
    primary: 'val_dice',
    replicates: ['fold'],
  };
  let n = 0;
  for (const j of m.jobs) {
    for (const a of j.attempts) {
      const run_id = (++n).toString(16).padStart(32, '0');
      a.tracking = {
        run_id, run_url: `http://127.0.0.1:5999/#/experiments/1/runs/${run_id}`, run_status: a.status === 'SUCCEEDED' ? 'FINISHED' : 'FAILED',
        found_by: 'tags', metrics: { val_dice: 0.6 + (n % 7) / 50 }, read_at: now.toISOString(), error: null,
      };
    }
    j.mlflow_run_id = j.attempts.at(-1)?.tracking?.run_id ?? null;
  }
  return m;
}
