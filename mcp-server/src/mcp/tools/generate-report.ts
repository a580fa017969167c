import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { FiledIssueSchema } from '../../factorial/manifest.js';
import { generateReport } from '../../report/generate-report.js';
import { toolResult } from '../tool-result.js';
import { forExperiment } from '../../factorial/experiment-index.js';

const ReportSchema = z.object({
  jsonl_path: z.string().describe('outputs/factorial_run_<experiment>.jsonl: one line per condition, summary last'),
  markdown_path: z.string().describe('outputs/factorial_report_<experiment>.md'),
  html_path: z.string().describe('outputs/factorial_report_<experiment>.html: the grid as a heatmap linking each cell to its run, a timeline of every attempt, the main-effects plot'),
  json_path: z.string().describe('outputs/factorial_report_<experiment>.json: results per condition, main effects, best configurations, time and cost'),
  issues: z.array(FiledIssueSchema).describe('Issues (or drafts) for the failures that stay broken'),
  notes: z.array(z.string()),
  summary: z
    .record(z.string(), z.unknown())
    .describe('About 1 KB: totals, cost against estimate and budget, tracking server, the best configurations by the primary metric, remaining failures; the files hold the rest'),
});

export function registerGenerateReport(server: McpServer, ctx: FactorialContext): void {
  server.registerTool(
    'generate_report',
    {
      title: 'Write the experiment report and file issues',
      description:
        'Write the run JSONL, the Markdown report and its JSON data (totals, cost per cycle, the factorial grid, each ' +
        "condition's tracking run and metrics, main effects, the best configurations, time and cost against the estimate, " +
        'root causes with the fix attempted and its outcome, recommendations) and turn failures that stay broken into issues: through gh ' +
        'when it is installed and logged in (one per root cause, de-duplicated by fingerprint), else as Markdown drafts ' +
        'under outputs/issues/. Every failure is accounted for. Call it when F4 stops relaunching or all succeeded.',
      inputSchema: {
        experiment: z.string().describe('Experiment id'),
        file_issues: z.boolean().default(true).describe('File issues (or drafts) for what stays broken'),
        refresh_results: z.boolean().default(false).describe("Read every terminal attempt's tracking run again (default: only those not read yet)"),
      },
      outputSchema: ReportSchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ experiment, file_issues, refresh_results }) => {
      const scoped = forExperiment(ctx, experiment);
      const { jsonl_path, markdown_path, json_path, html_path, issues, notes, compact } = await generateReport(experiment, scoped, { fileIssues: file_issues, refreshResults: refresh_results });
      return toolResult({ jsonl_path, markdown_path, json_path, html_path, issues, notes, summary: compact as unknown as Record<string, unknown> });
    },
  );
}
