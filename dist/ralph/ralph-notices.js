// What people are told about a single-job loop, through the grid supervisor's notifier (same `notify:`
// targets, same once-only ledger): SkyPilot down and back, each failed attempt with what the loop does
// next, the loop giving up on SkyPilot, and the end. Pure; secrets are redacted from everything sent.
import { redact } from '../redaction/redact.js';
import { eventKey } from '../supervisor/notify/notification.js';
export const RALPH_NOTIFIABLE = ['sky_unavailable', 'sky_recovered', 'attempt_ended', 'gave_up', 'run_stopped'];
function text(e) {
    const r = e.run;
    switch (e.type) {
        case 'sky_unavailable':
            return e.first ? `${r}: SkyPilot is not answering (${e.command}: ${e.error}); the loop keeps trying` : null;
        case 'sky_recovered':
            return `${r}: SkyPilot answers again after ${Math.round(e.down_s / 60)} min; the loop resumed`;
        case 'attempt_ended':
            if (e.diagnosis === null)
                return null; // a success is told by run_stopped
            return `${r}: attempt ${e.attempt} (job ${e.job_id}, ${e.cloud ?? '?'}/${e.region ?? '?'}) ended ${e.status}: ${e.diagnosis.category}` +
                (e.fix_applied ? `; next attempt: ${e.fix_applied.description}` : '');
        case 'gave_up':
            return `${r}: the loop stopped waiting for SkyPilot: ${e.reason}`;
        case 'run_stopped':
            return `${r}: ${e.outcome} after ${e.attempts} attempt(s), $${e.cost_usd.toFixed(2)}: ${e.reason}`;
        default:
            return null;
    }
}
/** The notices among a run's events; `wants` skips those every target already had. */
export function ralphNotices(events, wants) {
    return events.flatMap((e) => {
        const line = text(e);
        if (line === null)
            return [];
        const key = eventKey(e);
        if (!wants(key, e.type))
            return [];
        const said = redact(line);
        const body = { event: e.type, run: e.run, text: said, at: e.ts, details: e };
        return [{ key, type: e.type, slack: JSON.stringify({ text: said }), json: JSON.stringify(body, (_k, v) => (typeof v === 'string' ? redact(v) : v)) }];
    });
}
