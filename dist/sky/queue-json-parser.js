// Parser for `sky jobs queue -o json` (SkyPilot ≥ 0.12/0.13): a JSON array of ManagedJobRecord dumps,
// one element per task, with `null` for fields the request did not fetch (most need `-v`).
import { z } from 'zod';
import { QueueParseError } from './queue-table-parser.js';
const str = z.string().nullish();
const num = z.number().nullish();
// A stripping object: records carry ~57 fields and skyloop reads 19; copying the rest costs more than the parse.
const ManagedJobRecord = z.object({
    job_id: z.number().int(),
    task_id: num,
    job_name: str,
    task_name: str,
    status: z.string(),
    resources: str,
    infra: str,
    cloud: str,
    region: str,
    submitted_at: num,
    start_at: num,
    end_at: num,
    job_duration: num,
    recovery_count: num,
    failure_reason: str,
    details: str,
    user_name: str,
    workspace: str,
    pool: str,
});
const dashToNull = (v) => (v == null || v === '-' || v === '' ? null : v);
/** SkyPilot stores "not yet" times as -1 or 0; only positive values are real timestamps. */
const time = (v) => (v == null || v <= 0 ? null : v);
export function parseQueueJson(stdout) {
    // Server-side log lines may precede the JSON (jobs queue does not silence streamed output).
    const start = stdout.search(/^\[/m);
    if (start < 0)
        throw new QueueParseError('no JSON array in the output of `sky jobs queue -o json`');
    let data;
    try {
        data = JSON.parse(stdout.slice(start));
    }
    catch (e) {
        throw new QueueParseError(`the JSON from \`sky jobs queue -o json\` does not parse: ${e.message}`);
    }
    const parsed = z.array(ManagedJobRecord).safeParse(data);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new QueueParseError(`unexpected JSON from \`sky jobs queue -o json\` at [${issue?.path.join('.')}]: ${issue?.message}`);
    }
    return parsed.data.map((r) => {
        const name = r.job_name ?? r.task_name ?? '';
        const infra = dashToNull(r.infra) ?? dashToNull([dashToNull(r.cloud), dashToNull(r.region)].filter(Boolean).join('/'));
        return {
            job_id: r.job_id,
            task_id: r.task_id ?? 0,
            job_name: name,
            task_name: r.task_name ?? name,
            status: r.status,
            resources: dashToNull(r.resources),
            infra,
            submitted_at: time(r.submitted_at),
            started_at: time(r.start_at),
            ended_at: time(r.end_at),
            job_duration_s: r.job_duration ?? null,
            recovery_count: r.recovery_count ?? 0,
            failure_reason: dashToNull(r.failure_reason),
            details: dashToNull(r.details),
            user: dashToNull(r.user_name),
            workspace: dashToNull(r.workspace),
            pool: dashToNull(r.pool),
            time_precision: 'exact',
        };
    });
}
