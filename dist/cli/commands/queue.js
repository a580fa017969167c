import { parseArgs } from 'node:util';
import { QUEUE_JSON_SCHEMA_VERSION } from '../../sky/job-record.js';
import { SkyCli } from '../../sky/sky-cli.js';
import { shortDuration, textTable } from '../text-table.js';
export const queueHelp = `Usage: skyloop queue [--json]

Every managed job of the configured \`sky\` (SKYLOOP_SKY_BIN, default \`sky\`), one row per task.

  --json   machine-readable: {"schema_version": ${QUEUE_JSON_SCHEMA_VERSION}, "source": "json"|"table", "jobs": [JobRecord, …]}
           (JobRecord fields are listed in docs/cli.md)
`;
export async function queueCommand(argv, out) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, strict: true });
    const sky = new SkyCli();
    const { records, source } = await sky.queue();
    if (values.json) {
        out.write(JSON.stringify({ schema_version: QUEUE_JSON_SCHEMA_VERSION, source, jobs: records }, null, 2) + '\n');
        return 0;
    }
    if (records.length === 0) {
        out.write('No managed jobs.\n');
        return 0;
    }
    const now = Date.now() / 1000;
    const rows = records.map((r) => [
        String(r.job_id),
        r.task_id === 0 && r.task_name === r.job_name ? '-' : String(r.task_id),
        r.task_name,
        r.status,
        r.submitted_at === null ? '-' : `${shortDuration(now - r.submitted_at)} ago`,
        shortDuration(r.job_duration_s),
        String(r.recovery_count),
        r.resources ?? '-',
    ]);
    out.write(textTable(['ID', 'TASK', 'NAME', 'STATUS', 'SUBMITTED', 'RAN', 'RECOVERIES', 'RESOURCES'], rows));
    return 0;
}
