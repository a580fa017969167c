// The supervisor: reconcile passes until the experiment is finished, SkyPilot stays away longer than the
// outage window, or a signal stops it. It survives every SkyPilot fault a pass can meet, tells people
// through the configured notifiers, and prints short progress lines. `factorial watch` runs it in the
// foreground; `--detach` runs the same process in the background with its output in a log file.
import { join } from 'node:path';
import { summarize } from '../factorial/summary.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { etaSeconds, projectedCost } from './decisions.js';
import { experimentNotices } from './notify/notification.js';
import { Notifier, notifyTimeoutMs } from './notify/notifier.js';
import { attachLine, changeLines, heartbeatLine, noteLine, paint } from './progress-lines.js';
import { superviseStep } from './supervise-step.js';
import { SupervisorLock } from './supervisor-lock.js';
import { loadSupervisorSettings } from './supervisor-settings.js';
/** Documented exit codes of `factorial watch` (docs/cli.md). */
export const EXIT = { succeeded: 0, notAllSucceeded: 1, skyUnavailable: 75, interrupted: 130 };
export async function supervise(experimentId, ctx, options) {
    const store = new ExperimentStore(ctx.outputsDir, experimentId);
    const p = paint(options.color);
    const line = (s) => options.write(s + '\n');
    let manifest = store.read();
    const settings = loadSupervisorSettings(manifest, (w) => line(p.yellow(`warning: ${w}`)));
    const intervalMs = (options.intervalS ?? manifest.monitor.poll_interval_s) * 1000;
    const lock = await SupervisorLock.acquire(ctx.outputsDir, experimentId, options.log ?? null);
    const notifier = new Notifier({
        ledgerPath: join(ctx.outputsDir, `factorial_notify_${experimentId}.jsonl`),
        targets: settings.notify,
        timeoutMs: notifyTimeoutMs(),
        onFailure: (msg) => line(noteLine(new Date(options.clock.nowMs()), msg, p, 'warn')),
    });
    let notified = 0;
    let streamed = options.onEvents ? store.readEvents().length : 0;
    const deliver = () => {
        // Reading the whole event log each poll is for notifying and streaming only.
        if (settings.notify.length === 0 && !options.onEvents)
            return;
        const events = store.readEvents();
        if (settings.notify.length > 0) {
            notifier.offer(experimentNotices(events.slice(notified), (k, t) => notifier.wants(k, t), () => {
                const m = store.read();
                const agg = m.aggregations.at(-1);
                return {
                    summary: summarize(m, ctx.now()),
                    diagnosis: (agg?.root_causes ?? []).map((r) => ({ root_cause_id: r.root_cause_id, conditions: r.conditions.length })),
                    reportPath: join(ctx.outputsDir, `factorial_report_${experimentId}.md`),
                };
            }));
        }
        notified = events.length;
        options.onEvents?.(events.slice(streamed));
        streamed = events.length;
    };
    await store.appendEvents([{ type: 'supervisor', action: 'started', pid: process.pid, reason: options.log ? `detached, log ${options.log}` : 'foreground' }]);
    if (options.onEvents)
        deliver();
    line(attachLine(summarize(manifest, ctx.now())));
    let lastHeartbeat = options.clock.nowMs();
    let polls = 0;
    let result = null;
    try {
        while (result === null) {
            const outcome = await superviseStep(experimentId, ctx, settings, options.clock);
            polls++;
            const now = new Date(options.clock.nowMs());
            await lock.polled(now);
            manifest = store.read();
            if (!outcome.ok) {
                line(noteLine(now, `sky down since ${outcome.since.slice(11, 16)}: ${outcome.error}`, p, 'warn'));
                if (outcome.gave_up) {
                    const reason = `SkyPilot did not answer for more than ${Math.round(settings.outage_window_s / 60)} min (${outcome.command}: ${outcome.error})`;
                    await store.appendEvents([{ type: 'supervisor', action: 'gave_up', pid: process.pid, reason }]);
                    result = { exit: EXIT.skyUnavailable, summary: summarize(manifest, ctx.now()), reason };
                }
            }
            else {
                const printed = changeLines(now, outcome.poll.changes, outcome.poll.kill_switch, p);
                for (const n of outcome.notes)
                    printed.push(noteLine(now, n, p, 'warn'));
                for (const l of printed)
                    line(l);
                const due = now.getTime() - lastHeartbeat >= settings.heartbeat_s * 1000;
                // After a change the counts follow it; when nothing changes, a heartbeat says the supervisor is alive.
                if (printed.length > 0 || due) {
                    const cost = projectedCost(manifest, settings.expected_hours);
                    line(p.dim(heartbeatLine(now, { summary: outcome.poll.summary, budget_usd: cost.budget_usd, projected_usd: cost.projected_usd, eta_s: etaSeconds(manifest, settings.expected_hours) })));
                    lastHeartbeat = now.getTime();
                }
                if (manifest.supervisor.finished_at !== null) {
                    const s = outcome.poll.summary;
                    result = { exit: s.all_succeeded ? EXIT.succeeded : EXIT.notAllSucceeded, summary: s, reason: 'every condition is accounted for' };
                }
            }
            deliver();
            if (result === null && options.signal?.aborted) {
                result = { exit: EXIT.interrupted, summary: summarize(manifest, ctx.now()), reason: 'stopped by a signal' };
            }
            if (result === null)
                await options.clock.sleep(intervalMs, options.signal);
            if (result === null && options.signal?.aborted) {
                result = { exit: EXIT.interrupted, summary: summarize(store.read(), ctx.now()), reason: 'stopped by a signal' };
            }
        }
        const cpu = process.cpuUsage();
        const cpuS = Math.round((cpu.user + cpu.system) / 10_000) / 100;
        await store.appendEvents([{ type: 'supervisor', action: 'stopped', pid: process.pid, reason: result.reason, polls, cpu_s: cpuS }]);
        deliver();
        await notifier.drain(15_000);
        return result;
    }
    finally {
        lock.release();
    }
}
