import { z } from 'zod';
import { redact } from '../../redaction/redact.js';
import { isTerminal } from '../../sky/job-status.js';
import { SkyError } from '../../sky/sky-errors.js';
import { toolResult } from '../tool-result.js';
export function registerJobStatus(server, ctx) {
    server.registerTool('job_status', {
        title: 'Status of one managed job',
        description: 'The status of one managed job (status, times, run time, recoveries, SkyPilot failure reason) and optionally the ' +
            'last lines of its log (quoted data, secrets redacted). Read-only. For the root cause of a failure use analyze_logs.',
        inputSchema: {
            job_id: z.number().int().positive(),
            log_tail: z.number().int().min(0).max(200).default(0).describe('Log lines to include'),
        },
        outputSchema: {
            job_id: z.number().int(), job_name: z.string(), status: z.string(), terminal: z.boolean(), submitted_at: z.number().nullable(),
            ended_at: z.number().nullable(), job_duration_s: z.number().nullable(), recovery_count: z.number().int(),
            failure_reason: z.string().nullable(), resources: z.string().nullable(), log_tail: z.array(z.string()),
        },
        annotations: { readOnlyHint: true, openWorldHint: true },
    }, async ({ job_id, log_tail }) => {
        const r = (await ctx.sky.queue()).records.find((x) => x.job_id === job_id && x.task_id === 0);
        if (!r)
            throw new SkyError('job_not_found', `SkyPilot has no managed job with id ${job_id}`, 'sky jobs queue', { jobId: job_id });
        const tail = log_tail > 0 ? (await ctx.sky.logs(job_id, { tail: log_tail })).tail.map(redact) : [];
        return toolResult({
            job_id, job_name: r.job_name, status: r.status, terminal: isTerminal(r.status), submitted_at: r.submitted_at, ended_at: r.ended_at,
            job_duration_s: r.job_duration_s, recovery_count: r.recovery_count, failure_reason: r.failure_reason, resources: r.resources, log_tail: tail,
        });
    });
}
