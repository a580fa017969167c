// Which recorded events people are told about, and what they are told: a Slack-compatible text line and a
// generic JSON payload. Pure; secrets are redacted from everything that leaves the machine.
import { createHash } from 'node:crypto';
import { redact } from '../../redaction/redact.js';
export const NOTIFIABLE = [
    'kill_switch',
    'stuck_warning',
    'stuck_cancelled',
    'sky_unavailable',
    'sky_recovered',
    'budget',
    'autopilot',
    'batch_terminal',
    'experiment_finished',
    'supervisor',
];
/** An event worth telling someone about: kill switch fired, stuck job, outage start and end, budget, … */
export function isNotifiable(e) {
    if (!NOTIFIABLE.includes(e.type))
        return false;
    if (e.type === 'kill_switch')
        return e.fired;
    if (e.type === 'sky_unavailable')
        return e.first;
    if (e.type === 'supervisor')
        return e.action === 'gave_up';
    return true;
}
/** Stable identity of an event line: the same event is delivered once, even across supervisor restarts. */
export const eventKey = (e) => createHash('sha256').update(JSON.stringify(e)).digest('hex').slice(0, 24);
/** One line a person reads on a phone. */
export function notificationText(e) {
    const x = e.experiment_id;
    switch (e.type) {
        case 'kill_switch':
            return `${x}: kill switch fired (${e.fingerprint ?? '?'}) after ${e.failed_conditions.length} identical failures; cancelled ${e.cancelled.length} job(s) with the same config`;
        case 'stuck_warning':
            return `${x}: ${e.condition} (job ${e.job_id}) has waited ${Math.round(e.for_seconds / 60)} min in ${e.status} for resources`;
        case 'stuck_cancelled':
            return `${x}: cancelled stuck ${e.condition} (job ${e.job_id}, ${e.category ?? 'no capacity'}); it is relaunchable`;
        case 'sky_unavailable':
            return `${x}: SkyPilot is not answering (${e.command}: ${e.error}); the supervisor keeps trying`;
        case 'sky_recovered':
            return `${x}: SkyPilot answers again after ${Math.round(e.down_s / 60)} min; supervision resumed`;
        case 'budget':
            return `${x}: budget ${e.level === 'warning' ? 'warning' : 'EXCEEDED'}: spent $${e.spent_usd.toFixed(2)}, projected $${e.projected_usd.toFixed(2)} of $${e.budget_usd.toFixed(2)}${e.action === 'cancel' ? '; running jobs cancelled' : ''}`;
        case 'autopilot':
            return `${x}: autopilot ${e.action} (batch ${e.batch}): ${e.reason}`;
        case 'batch_terminal':
            return `${x}: batch ${e.batch} finished: ${counts(e.counts)}; cost $${e.cost_so_far_usd.toFixed(2)} of est. $${e.estimated_cost_usd.toFixed(2)}`;
        case 'experiment_finished':
            return `${x}: ${e.all_succeeded ? 'every condition succeeded' : 'finished, not all succeeded'}: ${counts(e.counts)}; cost $${e.cost_so_far_usd.toFixed(2)}`;
        case 'supervisor':
            return `${x}: supervisor ${e.action}: ${e.reason}`;
        default:
            return `${x}: ${e.type}`;
    }
}
export function payload(e, format, context) {
    const text = redact(notificationText(e));
    if (format === 'slack')
        return JSON.stringify({ text });
    const body = {
        event: e.type,
        experiment_id: e.experiment_id,
        text,
        at: e.ts,
        counts: context.summary?.counts ?? null,
        cost_so_far_usd: context.summary?.cost_so_far_usd ?? null,
        estimated_cost_usd: context.summary?.estimated_cost_usd ?? null,
        diagnosis: context.diagnosis,
        report_path: context.reportPath,
        details: e,
    };
    // Every string leaf is redacted, so the JSON stays valid whatever a secret looked like.
    return JSON.stringify(body, (_key, value) => (typeof value === 'string' ? redact(value) : value));
}
/** The grid's notices among `events`; the context (a manifest read) is computed only when one is wanted. */
export function experimentNotices(events, wants, context) {
    let ctx = null;
    return events.flatMap((e) => {
        if (!isNotifiable(e))
            return [];
        const key = eventKey(e);
        if (!wants(key, e.type))
            return [];
        ctx ??= context();
        return [{ key, type: e.type, slack: payload(e, 'slack', ctx), json: payload(e, 'json', ctx) }];
    });
}
const counts = (c) => Object.entries(c).map(([s, n]) => `${n} ${s}`).join(', ');
