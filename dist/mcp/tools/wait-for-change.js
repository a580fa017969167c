import { z } from 'zod';
import { briefSummary, ExperimentSummarySchema } from '../../factorial/summary.js';
import { waitForChange } from '../../supervisor/wait-for-change.js';
import { ExperimentStore } from '../../store/experiment-store.js';
import { toolResult } from '../tool-result.js';
import { forExperiment } from '../../factorial/experiment-index.js';
const WaitResultSchema = z.object({
    changed: z.boolean().describe('Some job changed state (or the kill switch fired) before the timeout'),
    polls: z.number().int(),
    changes: z.array(z.object({ condition: z.string(), job_id: z.number().int(), from: z.string().nullable(), to: z.string() })),
    kill_switch: z.array(z.object({ fired: z.boolean(), fingerprint: z.string(), cancelled: z.array(z.string()), reasons: z.array(z.string()) })),
    summary: ExperimentSummarySchema,
    attached: z.boolean().describe('A detached supervisor runs this experiment: the wait followed its events and called SkyPilot not at all'),
    sky_unavailable: z.string().nullable().describe('SkyPilot did not answer on the last poll (the command and its error); retried next poll'),
    notes: z.array(z.string()).describe('What the supervisor did meanwhile (stuck jobs cancelled, autopilot, budget), or the event types it recorded'),
});
const MAX_CHANGES = 50;
export function registerWaitForChange(server, ctx) {
    server.registerTool('wait_for_change', {
        title: 'Wait for the experiment to change',
        description: 'Block until some job of the experiment changes state, the kill switch fires, every job is terminal, or ' +
            'timeout_s passes, polling SkyPilot once per interval and sending progress notifications meanwhile. Use this ' +
            'instead of polling queue_status. Runs the kill switch (by default 3+ identical failures within 5 min cancel ' +
            'the running jobs of the same config not yet past the failure point; thresholds are in the config), so it may cancel jobs.',
        inputSchema: {
            experiment: z.string().describe('Experiment id'),
            timeout_s: z.number().min(1).max(3600).default(300).describe('Longest wait in seconds'),
            interval_s: z.number().min(1).optional().describe("Seconds between polls (default: the experiment's poll interval)"),
        },
        outputSchema: WaitResultSchema.shape,
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    }, async ({ experiment, timeout_s, interval_s }, extra) => {
        const scoped = forExperiment(ctx, experiment);
        const intervalS = interval_s ?? new ExperimentStore(scoped.outputsDir, experiment).read().monitor.poll_interval_s;
        const progressToken = extra._meta?.progressToken;
        const { changed, polls, result, attached, sky_unavailable, notes } = await waitForChange(experiment, scoped, {
            timeoutS: timeout_s,
            intervalS: Math.min(intervalS, timeout_s),
            signal: extra.signal,
            onPoll: async (r, elapsed) => {
                if (progressToken === undefined)
                    return;
                await extra.sendNotification({
                    method: 'notifications/progress',
                    params: {
                        progressToken,
                        progress: r.summary.terminal,
                        total: r.summary.total,
                        message: `${r.summary.terminal}/${r.summary.total} terminal after ${Math.round(elapsed)} s`,
                    },
                });
            },
        });
        const fired = result.kill_switch.filter((d) => d.fired);
        return toolResult({
            changed,
            polls,
            changes: result.changes.slice(0, MAX_CHANGES),
            kill_switch: result.kill_switch.map((d) => ({ fired: d.fired, fingerprint: d.fingerprint, cancelled: d.cancel.map((c) => c.condition), reasons: d.reasons })),
            summary: result.summary,
            attached,
            sky_unavailable,
            notes,
        }, `${changed ? `${result.changes.length} change(s)` : 'no change'} after ${polls} poll(s)` +
            fired.map((d) => `; kill switch fired: ${d.cancel.length} cancelled`).join('') +
            `\n${briefSummary(result.summary)}` +
            (result.summary.all_terminal ? `next: aggregate_failures(experiment="${experiment}")` : `next: wait_for_change(experiment="${experiment}")`));
    });
}
