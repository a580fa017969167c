// The compact view of an experiment for people and agents: counts, progress, cost, and only the rows that
// need attention. Small by design: a 1,000-job grid fits in a few KB.
import { z } from 'zod';
import { isTerminal } from '../sky/job-status.js';
import { costSoFar, currentAttempt, currentBatch, isFailedEntry, LAUNCH_FAILED, LAUNCH_UNKNOWN, NOT_LAUNCHED } from './manifest.js';
const MAX_ATTENTION_ROWS = 25;
export const AttentionRowSchema = z.object({
    condition: z.string(),
    job_id: z.number().int().nullable(),
    status: z.string(),
    why: z.enum(['failed', 'stuck', 'recovering', 'launch_failed', 'launch_unknown']),
    category: z.string().nullable().describe('Failure category, once diagnosed'),
    ran_s: z.number().nullable().describe('Seconds the job ran'),
});
export const ExperimentSummarySchema = z.object({
    experiment_id: z.string(),
    batch: z.number().int().describe('Current batch: 0 = original launch, 1-2 = relaunch cycles'),
    total: z.number().int().describe('Conditions in the grid'),
    counts: z.record(z.string(), z.number().int()).describe('Conditions per status'),
    terminal: z.number().int(),
    all_terminal: z.boolean(),
    all_succeeded: z.boolean(),
    cost_so_far_usd: z.number(),
    estimated_cost_usd: z.number(),
    kill_switch_fired: z.number().int(),
    attention: z.array(AttentionRowSchema).describe('Only the rows that need attention: failed, stuck, recovering'),
    attention_more: z.number().int().describe('Rows that need attention but were left out to keep the view small'),
});
export function summarize(m, now) {
    const counts = {};
    const attention = [];
    const stuckMs = m.monitor.stuck_after_s * 1000;
    let terminal = 0;
    for (const j of m.jobs) {
        counts[j.status] = (counts[j.status] ?? 0) + 1;
        const a = currentAttempt(j);
        const done = j.status === LAUNCH_FAILED || isTerminal(j.status);
        if (done)
            terminal++;
        let why = null;
        if (j.status === LAUNCH_FAILED)
            why = 'launch_failed';
        else if (j.status === LAUNCH_UNKNOWN)
            why = 'launch_unknown';
        else if (isFailedEntry(j))
            why = 'failed';
        else if (j.status === 'RECOVERING')
            why = 'recovering';
        else if ((j.status === 'PENDING' || j.status === 'STARTING') && a?.submitted_at && now.getTime() - Date.parse(a.submitted_at) >= stuckMs) {
            why = 'stuck';
        }
        if (why) {
            attention.push({ condition: j.condition, job_id: j.job_id, status: j.status, why, category: j.failure_category, ran_s: j.duration_seconds });
        }
    }
    const launched = m.jobs.filter((j) => j.status !== NOT_LAUNCHED).length;
    return {
        experiment_id: m.experiment_id,
        batch: currentBatch(m),
        total: m.jobs.length,
        counts,
        terminal,
        all_terminal: launched === m.jobs.length && terminal === m.jobs.length,
        all_succeeded: m.jobs.every((j) => j.status === 'SUCCEEDED'),
        cost_so_far_usd: costSoFar(m),
        estimated_cost_usd: m.total_estimated_cost,
        kill_switch_fired: m.kill_switch.length,
        attention: attention.slice(0, MAX_ATTENTION_ROWS),
        attention_more: Math.max(0, attention.length - MAX_ATTENTION_ROWS),
    };
}
/** Counts and cost in two lines (the attention rows stay in the structured result). */
export function briefSummary(s) {
    const counts = Object.entries(s.counts).sort((a, b) => b[1] - a[1]).map(([status, n]) => `${n} ${status}`).join(', ');
    return (`${s.experiment_id} batch ${s.batch}: ${s.terminal}/${s.total} terminal (${counts}); cost so far $${s.cost_so_far_usd.toFixed(2)} of est. ` +
        `$${s.estimated_cost_usd.toFixed(2)}${s.kill_switch_fired ? `; kill switch fired ${s.kill_switch_fired} time(s)` : ''}` +
        `${s.attention.length ? `; ${s.attention.length + s.attention_more} need attention` : ''}\n`);
}
/** The human rendering of the summary. */
export function renderSummary(s) {
    const order = Object.entries(s.counts).sort((a, b) => b[1] - a[1]);
    const lines = [
        `${s.experiment_id}  batch ${s.batch}  ${s.terminal}/${s.total} terminal  ` +
            `cost so far $${s.cost_so_far_usd.toFixed(2)} of est. $${s.estimated_cost_usd.toFixed(2)}`,
        '  ' + order.map(([status, n]) => `${n} ${status}`).join(' │ '),
    ];
    if (s.kill_switch_fired > 0)
        lines.push(`  kill switch fired ${s.kill_switch_fired} time(s)`);
    for (const r of s.attention) {
        const ran = r.ran_s === null ? '' : ` after ${Math.round(r.ran_s / 60)} min`;
        lines.push(`  ! ${r.condition}  job ${r.job_id ?? '-'}  ${r.status}${ran}${r.category ? `  ${r.category}` : ''}  (${r.why})`);
    }
    if (s.attention_more > 0)
        lines.push(`  … and ${s.attention_more} more (--all for the full grid)`);
    return lines.join('\n') + '\n';
}
