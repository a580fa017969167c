import { z } from 'zod';
import { FiledIssueSchema } from '../../factorial/manifest.js';
import { generateReport } from '../../report/generate-report.js';
import { toolResult } from '../tool-result.js';
const ReportSchema = z.object({
    jsonl_path: z.string().describe('outputs/factorial_run_<experiment>.jsonl: one line per condition, summary last'),
    markdown_path: z.string().describe('outputs/factorial_report_<experiment>.md'),
    issues: z.array(FiledIssueSchema).describe('Issues (or drafts) for the failures that stay broken'),
    notes: z.array(z.string()),
    summary: z.record(z.string(), z.unknown()).describe('Totals, percentages, cost per cycle, root causes'),
});
export function registerGenerateReport(server, ctx) {
    server.registerTool('generate_report', {
        title: 'Write the experiment report and file issues',
        description: 'Write the run JSONL and the Markdown report (totals, cost per cycle, the factorial grid, root causes with the ' +
            'fix attempted and its outcome, recommendations) and turn failures that stay broken into issues: through gh ' +
            'when it is installed and logged in (one per root cause, de-duplicated by fingerprint), else as Markdown drafts ' +
            'under outputs/issues/. Every failure is accounted for. Call it when F4 stops relaunching or all succeeded.',
        inputSchema: {
            experiment: z.string().describe('Experiment id'),
            file_issues: z.boolean().default(true).describe('File issues (or drafts) for what stays broken'),
        },
        outputSchema: ReportSchema.shape,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    }, async ({ experiment, file_issues }) => {
        const report = await generateReport(experiment, ctx, { fileIssues: file_issues });
        return toolResult({ ...report, summary: report.summary });
    });
}
