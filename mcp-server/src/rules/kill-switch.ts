// The kill switch, the one exception to F1 WAIT-FOR-TERMINAL. It fires when at least `min_failures` jobs
// of the current batch failed with the same fingerprint and their end times fall within `window_s`.
// It then cancels the still-running jobs that share every factor level common to those failed jobs and
// have not yet run longer than the longest-running of them did before failing (they have not passed the
// failure point). Every other job continues.
import { isFailure, isTerminal } from '../sky/job-status.js';

type Level = string | number | boolean;

export interface KillSwitchSettings {
  enabled: boolean;
  min_failures: number;
  window_s: number;
}

export interface KillSwitchJob {
  condition: string;
  job_id: number | null;
  levels: Record<string, Level>;
  status: string | null;
  /** Unix seconds the job ended (failed jobs). */
  ended_at: number | null;
  /** Seconds the job ran (for failed jobs: how long before failing). */
  duration_s: number | null;
  fingerprint: string | null;
  /**
   * skyloop already asked SkyPilot to cancel it (the kill switch or the supervisor). SkyPilot only schedules a
   * cancellation: the job keeps its status until its controller acts, so polls in between still see it running.
   */
  cancel_requested: boolean;
}

export interface KillSwitchDecision {
  fired: boolean;
  fingerprint: string;
  failed_conditions: string[];
  common_levels: Record<string, Level>;
  cancel: { condition: string; job_id: number }[];
  spared: { condition: string; reason: string }[];
  reasons: string[];
}

/** The largest set of failures whose end times fit in one window, earliest such window first. */
function densestWindow(failures: KillSwitchJob[], windowS: number): KillSwitchJob[] {
  const sorted = [...failures].sort((a, b) => (a.ended_at ?? 0) - (b.ended_at ?? 0));
  let best: KillSwitchJob[] = [];
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j]?.ended_at ?? 0) - (sorted[i]?.ended_at ?? 0) > windowS) i++;
    if (j - i + 1 > best.length) best = sorted.slice(i, j + 1);
  }
  return best;
}

function commonLevels(jobs: KillSwitchJob[]): Record<string, Level> {
  const [first, ...rest] = jobs;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first.levels).filter(([factor, level]) => rest.every((j) => j.levels[factor] === level)),
  );
}

const describeLevels = (levels: Record<string, Level>): string =>
  Object.keys(levels).length === 0 ? 'every condition' : Object.entries(levels).map(([f, l]) => `${f}=${l}`).join(', ');

/** One decision per fingerprint shared by at least `min_failures` failed jobs. */
export function evaluateKillSwitch(jobs: KillSwitchJob[], settings: KillSwitchSettings): KillSwitchDecision[] {
  if (!settings.enabled) return [];
  const groups = new Map<string, KillSwitchJob[]>();
  for (const job of jobs) {
    if (job.status === null || !isFailure(job.status) || job.fingerprint === null || job.ended_at === null) continue;
    groups.set(job.fingerprint, [...(groups.get(job.fingerprint) ?? []), job]);
  }
  const decisions: KillSwitchDecision[] = [];
  for (const [fingerprint, failures] of groups) {
    if (failures.length < settings.min_failures) continue;
    const window = densestWindow(failures, settings.window_s);
    const failed_conditions = window.map((j) => j.condition);
    if (window.length < settings.min_failures) {
      decisions.push({
        fired: false, fingerprint, failed_conditions: failures.map((j) => j.condition), common_levels: {},
        cancel: [], spared: [],
        reasons: [
          `${failures.length} jobs failed with this fingerprint, but at most ${window.length} within ${settings.window_s} s ` +
            `(needs ${settings.min_failures})`,
        ],
      });
      continue;
    }
    const common = commonLevels(window);
    const failurePoint = Math.max(...window.map((j) => j.duration_s ?? 0));
    const cancel: KillSwitchDecision['cancel'] = [];
    const spared: KillSwitchDecision['spared'] = [];
    for (const job of jobs) {
      if (job.status === null || isTerminal(job.status) || job.status === 'CANCELLING' || job.job_id === null) continue;
      if (job.cancel_requested) continue; // asked once already: neither cancelled again nor counted as continuing
      const mismatch = Object.entries(common).find(([f, l]) => job.levels[f] !== l);
      if (mismatch) {
        spared.push({ condition: job.condition, reason: `different config (${mismatch[0]}=${job.levels[mismatch[0]]})` });
      } else if ((job.duration_s ?? 0) > failurePoint) {
        spared.push({
          condition: job.condition,
          reason: `ran ${Math.round(job.duration_s ?? 0)} s, past the failure point (${Math.round(failurePoint)} s)`,
        });
      } else {
        cancel.push({ condition: job.condition, job_id: job.job_id });
      }
    }
    decisions.push({
      fired: true, fingerprint, failed_conditions, common_levels: common, cancel, spared,
      reasons: [
        `${window.length} jobs failed with the same fingerprint within ${settings.window_s} s`,
        `they share ${describeLevels(common)}; failure point ${Math.round(failurePoint)} s of run time`,
        `${cancel.length} running job(s) with that config not yet past the failure point are cancelled; ${spared.length} continue`,
      ],
    });
  }
  return decisions;
}
