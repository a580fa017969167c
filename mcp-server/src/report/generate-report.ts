// The end of an experiment: file what stays broken as issues (recorded in the manifest, with `issue`
// events), then write the run JSONL and the Markdown report, and log a `report` event. Idempotent: a second
// call files nothing new and rewrites the same two files; concurrent calls run one after the other, so the
// second sees the issues the first recorded.
import type { EventPayload } from '../factorial/events.js';
import type { FactorialContext } from '../factorial/factorial-context.js';
import type { FiledIssue } from '../factorial/manifest.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { withFileLock } from '../store/file-lock.js';
import { fileIssues, type FilingResult } from './issue-filing.js';
import { writeMarkdownReport } from './markdown-report.js';
import { refreshResults } from '../factorial/refresh-results.js';
import { resultsSettingsOf, trackingServer } from '../tracking/results-settings.js';
import { writeHtmlReport } from './html-report.js';
import { compactSummary, writeReportJson, type CompactSummary } from './report-json.js';
import { buildReportModel } from './report-model.js';
import { buildSummary, writeRunJsonl, type RunSummary } from './run-jsonl.js';

/** `sky` is only needed to read a run URL from a job's log when its run carries no tags. */
export type ReportContext = Pick<FactorialContext, 'outputsDir' | 'now'> & Partial<Pick<FactorialContext, 'sky'>>;

export interface GenerateReportOptions {
  /** File issues for the failures that stay broken (default true). */
  fileIssues?: boolean;
  /** The gh executable (default `gh` on PATH). */
  gh?: string;
  /** Read every terminal attempt's tracking run again (default: only those not read or read with an error). */
  refreshResults?: boolean;
  /** Where MLflow's env vars are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ReportResult {
  jsonl_path: string;
  markdown_path: string;
  /** outputs/factorial_report_<experiment>.json: the results, main effects and time/cost as data. */
  json_path: string;
  /** outputs/factorial_report_<experiment>.html: heatmap, timeline and main-effects plot, self-contained. */
  html_path: string;
  /** The issues covering the failures that remain: filed now, or already recorded by an earlier report. */
  issues: FiledIssue[];
  /** Why an issue went to a draft instead of GitHub, when it did. */
  notes: string[];
  summary: RunSummary;
  /** About a kilobyte: totals, cost, tracking, the best configurations (what an MCP client gets). */
  compact: CompactSummary;
}

const sameIssue = (a: FiledIssue, b: FiledIssue) =>
  a.fingerprint === b.fingerprint && a.action === b.action && a.url === b.url && a.draft_path === b.draft_path &&
  a.conditions.length === b.conditions.length && a.conditions.every((c) => b.conditions.includes(c));

export async function generateReport(
  experimentId: string,
  ctx: ReportContext,
  options: GenerateReportOptions = {},
): Promise<ReportResult> {
  const store = new ExperimentStore(ctx.outputsDir, experimentId);
  store.read(); // a missing experiment fails here, before any lock file is made
  return withFileLock(`${store.manifestPath}.report`, () => report(store, ctx, options), REPORT_LOCK_TIMEOUT_MS);
}

/** gh calls have their own timeouts (15 s + 60 s each); a report waits this long for another to finish. */
const REPORT_LOCK_TIMEOUT_MS = 10 * 60_000;

async function report(store: ExperimentStore, ctx: ReportContext, options: GenerateReportOptions): Promise<ReportResult> {
  const env = options.env ?? process.env;
  await refreshResults(store, ctx, { scope: options.refreshResults ? 'all' : 'incomplete', env });
  let manifest = store.read();
  const server = trackingServer(resultsSettingsOf(manifest), env);
  let filings: FilingResult[] = [];
  if (options.fileIssues !== false) {
    filings = await fileIssues(buildReportModel(manifest, { server }), {
      outputsDir: ctx.outputsDir,
      now: ctx.now(),
      gh: { bin: options.gh ?? 'gh' },
    });
    const fresh = filings.filter((f) => f.recorded_now).map((f) => f.issue);
    if (fresh.length > 0) {
      manifest = await store.update((m) => {
        const events: EventPayload[] = [];
        for (const issue of fresh) {
          // Another report may have recorded the same filing meanwhile.
          if (m.issues.some((i) => sameIssue(i, issue))) continue;
          m.issues.push(issue);
          const { action, root_cause_id, fingerprint, url, draft_path } = issue;
          events.push({ type: 'issue', action, root_cause_id, fingerprint, url, draft_path });
        }
        return { events, result: m };
      });
    }
  }
  const now = ctx.now();
  const model = buildReportModel(manifest, { server });
  const jsonl_path = await writeRunJsonl(ctx.outputsDir, model, now);
  const markdown_path = await writeMarkdownReport(ctx.outputsDir, model, now);
  const json_path = await writeReportJson(ctx.outputsDir, model, now);
  const html_path = await writeHtmlReport(ctx.outputsDir, model, now);
  const issues = filings.map((f) => f.issue);
  await store.appendEvents([{ type: 'report', jsonl_path, markdown_path, issues: issues.length }]);
  return {
    jsonl_path,
    markdown_path,
    json_path,
    html_path,
    issues,
    notes: filings.map((f) => f.note).filter((n): n is string => n !== null),
    summary: buildSummary(model, now),
    compact: compactSummary(model),
  };
}
