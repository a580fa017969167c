import { ExperimentStore } from '../store/experiment-store.js';
import { withFileLock } from '../store/file-lock.js';
import { fileIssues } from './issue-filing.js';
import { writeMarkdownReport } from './markdown-report.js';
import { refreshResults } from '../factorial/refresh-results.js';
import { resultsSettingsOf, trackingServer } from '../tracking/results-settings.js';
import { writeHtmlReport } from './html-report.js';
import { compactSummary, writeReportJson } from './report-json.js';
import { buildReportModel } from './report-model.js';
import { buildSummary, writeRunJsonl } from './run-jsonl.js';
const sameIssue = (a, b) => a.fingerprint === b.fingerprint && a.action === b.action && a.url === b.url && a.draft_path === b.draft_path &&
    a.conditions.length === b.conditions.length && a.conditions.every((c) => b.conditions.includes(c));
export async function generateReport(experimentId, ctx, options = {}) {
    const store = new ExperimentStore(ctx.outputsDir, experimentId);
    store.read(); // a missing experiment fails here, before any lock file is made
    return withFileLock(`${store.manifestPath}.report`, () => report(store, ctx, options), REPORT_LOCK_TIMEOUT_MS);
}
/** gh calls have their own timeouts (15 s + 60 s each); a report waits this long for another to finish. */
const REPORT_LOCK_TIMEOUT_MS = 10 * 60_000;
async function report(store, ctx, options) {
    const env = options.env ?? process.env;
    await refreshResults(store, ctx, { scope: options.refreshResults ? 'all' : 'incomplete', env });
    let manifest = store.read();
    const server = trackingServer(resultsSettingsOf(manifest), env);
    let filings = [];
    if (options.fileIssues !== false) {
        filings = await fileIssues(buildReportModel(manifest, { server }), {
            outputsDir: ctx.outputsDir,
            now: ctx.now(),
            gh: { bin: options.gh ?? 'gh' },
        });
        const fresh = filings.filter((f) => f.recorded_now).map((f) => f.issue);
        if (fresh.length > 0) {
            manifest = await store.update((m) => {
                const events = [];
                for (const issue of fresh) {
                    // Another report may have recorded the same filing meanwhile.
                    if (m.issues.some((i) => sameIssue(i, issue)))
                        continue;
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
        notes: filings.map((f) => f.note).filter((n) => n !== null),
        summary: buildSummary(model, now),
        compact: compactSummary(model),
    };
}
