// Time and cost against the launch estimate, per cycle and per condition. The estimate is the one the launch
// made (conditions × expected hours × hourly rate × nodes), so one condition's share of it is the estimate of
// one run. Pure: no I/O here.
import type { Manifest } from '../factorial/manifest.js';

export interface CycleTimeCost {
  batch: number;
  jobs: number;
  estimated_usd: number;
  cost_usd: number;
  /** Expected running time of one job, hours. */
  expected_hours: number;
  /** Mean running time of the cycle's jobs that ran, hours (null: none ran). */
  mean_hours: number | null;
  /** From the cycle's first submission to its last job's end, hours (null: not over). SkyPilot's clock on both ends. */
  wall_hours: number | null;
}

export interface ConditionTimeCost {
  condition: string;
  attempts: number;
  hours: number;
  cost_usd: number;
  estimated_usd: number;
  /** cost / one run's estimate: 2.1 means it cost 2.1 times what one run was expected to. */
  ratio: number | null;
}

export interface TimeAndCost {
  per_run_estimate_usd: number;
  expected_hours: number;
  cycles: CycleTimeCost[];
  conditions: ConditionTimeCost[];
  /** Conditions that cost at least twice the estimate of one run, most expensive first. */
  over_estimate: ConditionTimeCost[];
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function timeAndCost(m: Manifest): TimeAndCost {
  const perRun = m.jobs.length ? m.total_estimated_cost / m.jobs.length : 0;
  const hourly = m.hourly_rate_usd * m.nodes_per_job;
  const expected = hourly > 0 ? perRun / hourly : 0;
  const cycles = m.batches.map((b): CycleTimeCost => {
    const attempts = m.jobs.flatMap((j) => j.attempts.filter((a) => a.batch === b.batch));
    const ran = attempts.filter((a) => a.duration_seconds !== null);
    const ends = attempts.map((a) => (a.end_time === null ? null : Date.parse(a.end_time)));
    const over = ends.length > 0 && ends.every((e) => e !== null) ? Math.max(...(ends as number[])) : null;
    const submitted = attempts.flatMap((a) => (a.submitted_at === null ? [] : [Date.parse(a.submitted_at)]));
    return {
      batch: b.batch,
      jobs: attempts.length,
      estimated_usd: round(attempts.length * perRun),
      cost_usd: round(attempts.reduce((s, a) => s + (a.cost_usd ?? 0), 0)),
      expected_hours: round(expected, 3),
      mean_hours: ran.length ? round(ran.reduce((s, a) => s + (a.duration_seconds as number), 0) / ran.length / 3600, 3) : null,
      wall_hours: over === null || submitted.length === 0 ? null : round((over - Math.min(...submitted)) / 3_600_000, 3),
    };
  });
  const conditions = m.jobs.map((j): ConditionTimeCost => {
    const cost = j.attempts.reduce((s, a) => s + (a.cost_usd ?? 0), 0);
    return {
      condition: j.condition,
      attempts: j.attempts.length,
      hours: round(j.attempts.reduce((s, a) => s + (a.duration_seconds ?? 0), 0) / 3600, 3),
      cost_usd: round(cost),
      estimated_usd: round(perRun),
      ratio: perRun > 0 ? round(cost / perRun) : null,
    };
  });
  const over_estimate = conditions.filter((c) => c.ratio !== null && c.ratio >= 2).sort((a, b) => b.cost_usd - a.cost_usd);
  return { per_run_estimate_usd: round(perRun), expected_hours: round(expected, 3), cycles, conditions, over_estimate };
}
