// Failures that stay broken (still failing after the last allowed cycle, or unrecoverable) become issues,
// one per fingerprint: filed with `gh` when it is installed and logged in, de-duplicated by a marker in the
// body (an open issue with the same marker gets a comment instead of a twin), otherwise written as
// ready-to-file Markdown drafts. Every text that leaves is redacted.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { writeFileDurably } from '../store/durable-file.js';
import { fenced, plainText } from './markdown-text.js';
import { redact } from '../redaction/redact.js';
import { failureKey } from './report-model.js';
import { describeRebuild, inlineCode } from './markdown-report.js';
export const ISSUE_LABELS = ['skyloop', 'experiment-failure'];
export const issueMarker = (hash16) => `skyloop-fingerprint: ${hash16}`;
export const issueDraftPath = (outputsDir, experimentId, issue) => join(outputsDir, 'issues', `${experimentId}-${issue.root_cause_id.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${issue.hash16.slice(0, 8)}.md`);
/** The issue for one group of remaining failures: title, labels and body, redacted. */
export function buildIssueText(model, g) {
    const m = model.manifest;
    const conditions = [...g.failed, ...g.cancelled];
    const title = `[skyloop] ${g.root_cause_id} in experiment ${m.experiment_id}: ${g.failed.length} condition(s) still failing`;
    const history = conditions.map((c) => {
        const entry = m.jobs.find((j) => j.condition === c);
        const attempts = (entry?.attempts ?? []).map((a) => {
            const failed = a.launch_state === 'launch_failed' || a.failure !== null;
            const what = a.launch_state === 'launch_failed' ? 'LAUNCH_FAILED' : `${a.status ?? 'not polled'}${failed ? ` (${failureKey(a).root_cause_id})` : ''}`;
            return `batch ${a.batch}: job ${a.job_id ?? '-'} ${what}${a.cancelled_by_kill_switch ? ' [kill switch]' : ''}`;
        });
        const levels = plainText(Object.entries(entry?.levels ?? {}).map(([f, l]) => `${f}=${String(l)}`).join(', '));
        return `- ${inlineCode(c)} (${levels}): ${attempts.join(' → ')}`;
    });
    const jobIds = conditions.flatMap((c) => m.jobs.find((j) => j.condition === c)?.attempts.map((a) => a.job_id) ?? []).filter((id) => id !== null);
    const lastImages = [...new Set(conditions.map((c) => m.jobs.find((j) => j.condition === c)?.attempts.at(-1)?.image).filter((i) => !!i))];
    const fixes = g.fixes.length ? g.fixes.map((r) => `- after batch ${r.after_batch}: ${describeRebuild(r)}`) : ['- no rebuild was made for it'];
    const relaunches = g.batches.filter((b) => b > 0);
    const body = [
        `## ${g.root_cause_id}: ${plainText(g.description)}`,
        '',
        `Experiment ${inlineCode(m.experiment_id)} (config ${inlineCode(basename(m.config_file))}): ${plainText(g.why)}.`,
        '',
        `- Fixability: ${g.fixability ?? 'unknown'}`,
        `- Pattern: ${plainText(g.pattern ?? 'not aggregated')}${g.first_seen ? ` (first seen in batch ${g.first_seen.batch}: ${plainText(g.first_seen.pattern)})` : ''}`,
        `- Cost incurred by these conditions: $${g.cost_usd.toFixed(2)}`,
        '',
        `### Affected conditions (${g.failed.length} failed${g.cancelled.length ? `, ${g.cancelled.length} cancelled by the kill switch` : ''})`,
        '',
        ...history,
        '',
        '### Evidence (redacted)',
        '',
        g.evidence ? fenced(g.evidence) : '_no log line matched a known pattern_',
        '',
        `Fingerprint: ${inlineCode(g.fingerprint)}`,
        '',
        '### Fix attempted',
        '',
        ...fixes,
        relaunches.length ? `- relaunched in batch ${relaunches.join(', ')}; still failing` : '- never relaunched',
        g.fix_strategy ? `- suggested fix: ${plainText(g.fix_strategy)}` : '',
        g.affected_files.length ? `- files to look at: ${g.affected_files.map(inlineCode).join(', ')}` : '',
        '',
        '### Reproduction hints',
        '',
        `- Image: ${lastImages.map(inlineCode).join(', ') || 'unknown'}`,
        `- Task YAML: \`${basename(m.skypilot_yaml)}\`; levels as above (one condition = one \`sky jobs launch\`)`,
        jobIds.length ? `- Logs: \`sky jobs logs <id>\` for job ${jobIds.join(', ')}` : '- No job ever started',
        `- Manifest: \`factorial_manifest_${m.experiment_id}.json\`, events: \`factorial_events_${m.experiment_id}.jsonl\``,
        '',
        issueMarker(g.hash16),
        '',
    ]
        .filter((line, i, all) => line !== '' || all[i - 1] !== '')
        .join('\n');
    return { fingerprint: g.fingerprint, hash16: g.hash16, root_cause_id: g.root_cause_id, conditions, title: redact(title), labels: ISSUE_LABELS, body: redact(body) };
}
/** The draft: YAML front matter (title, labels, the issue-template format), then the body. */
export function renderDraft(issue) {
    return ['---', `title: ${JSON.stringify(issue.title)}`, `labels: [${issue.labels.join(', ')}]`, '---', '', issue.body].join('\n');
}
function checkArg(name, value) {
    if (value.startsWith('-'))
        throw new Error(`${name} '${value}' must not start with '-'`);
    return value;
}
async function runGh(opts, args, timeout) {
    const bin = checkArg('gh executable', opts.bin ?? 'gh');
    return execa(bin, [...args, ...(opts.repo ? ['--repo', checkArg('repo', opts.repo)] : [])], {
        env: { ...opts.env, GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1' },
        cwd: opts.cwd,
        reject: false,
        timeout,
        stdin: 'ignore',
    });
}
/** gh is installed (on PATH, or the given executable) and `gh auth status` succeeds. */
export async function ghAvailable(opts) {
    const bin = checkArg('gh executable', opts.bin ?? 'gh');
    const r = await execa(bin, ['auth', 'status'], {
        env: { ...opts.env, GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1' },
        cwd: opts.cwd,
        reject: false,
        timeout: Math.min(opts.timeoutMs ?? 15_000, 15_000),
        stdin: 'ignore',
    });
    return !r.failed && r.exitCode === 0;
}
const ghError = (what, r) => `gh ${what} ${r.timedOut ? 'timed out' : `exited ${r.exitCode ?? '?'}`}: ${redact(String(r.stderr ?? '').trim().split('\n').at(-1) ?? '')}`;
/** Comment on the open issue carrying the same marker, or create one. Throws when gh fails. */
async function fileWithGh(issue, opts, experimentId, now) {
    const timeout = opts.timeoutMs ?? 60_000;
    const marker = issueMarker(issue.hash16);
    const list = await runGh(opts, ['issue', 'list', '--state', 'open', '--search', `"${marker}" in:body`, '--json', 'number,url,body', '--limit', '50'], timeout);
    if (list.failed || list.exitCode !== 0)
        throw new Error(ghError('issue list', list));
    const found = JSON.parse(String(list.stdout || '[]'))
        .filter((i) => Number.isInteger(i.number) && typeof i.body === 'string' && i.body.includes(marker))
        .sort((a, b) => a.number - b.number)[0];
    const dir = mkdtempSync(join(tmpdir(), 'skyloop-issue-'));
    try {
        const bodyFile = join(dir, 'body.md');
        if (found) {
            writeFileSync(bodyFile, redact(`Still failing in experiment \`${experimentId}\` (${now.toISOString()}).\n\n${issue.body}`));
            const r = await runGh(opts, ['issue', 'comment', String(found.number), '--body-file', bodyFile], timeout);
            if (r.failed || r.exitCode !== 0)
                throw new Error(ghError('issue comment', r));
            return { action: 'commented', url: found.url };
        }
        writeFileSync(bodyFile, issue.body);
        const create = (labels) => runGh(opts, ['issue', 'create', '--title', issue.title, '--body-file', bodyFile, ...labels.flatMap((l) => ['--label', l])], timeout);
        let r = await create(issue.labels);
        // A repository without these labels refuses them; the issue matters more than its labels.
        if ((r.failed || r.exitCode !== 0) && !r.timedOut && /label/i.test(String(r.stderr)))
            r = await create([]);
        if (r.failed || r.exitCode !== 0)
            throw new Error(ghError('issue create', r));
        const url = String(r.stdout).match(/https?:\/\/\S+/g)?.at(-1);
        if (!url)
            throw new Error(`gh issue create printed no issue URL: ${redact(String(r.stdout).slice(0, 200))}`);
        return { action: 'created', url };
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
/**
 * File (or draft) one issue per remaining fileable failure. Issues already recorded in the manifest that
 * cover the same conditions are returned as they are, not filed again; a recorded draft is filed for real
 * once gh is available. The caller records results with `recorded_now` in the manifest.
 */
export async function fileIssues(model, options) {
    const m = model.manifest;
    const groups = model.remaining.filter((g) => g.fileable);
    if (groups.length === 0)
        return [];
    const issues = groups.map((g) => buildIssueText(model, g));
    const knownFor = (issue) => [...m.issues].reverse().find((i) => i.fingerprint === issue.fingerprint && issue.conditions.every((c) => i.conditions.includes(c)));
    // gh is asked only when something is left to file: a repeated report makes no call at all.
    const pending = issues.some((i) => knownFor(i)?.action !== 'created' && knownFor(i)?.action !== 'commented');
    const useGh = pending && options.gh !== false && (await ghAvailable(options.gh));
    const results = [];
    for (const [n, g] of groups.entries()) {
        const issue = issues[n];
        const known = knownFor(issue);
        if (known && (known.action !== 'draft' || !useGh)) {
            if (known.action === 'draft' && known.draft_path)
                await writeDraft(known.draft_path, issue);
            results.push({ issue: known, recorded_now: false, note: null });
            continue;
        }
        const record = (action, url, draft_path) => ({
            fingerprint: g.fingerprint,
            root_cause_id: g.root_cause_id,
            conditions: issue.conditions,
            action,
            url,
            draft_path,
            at: options.now.toISOString(),
        });
        let note = useGh ? null : 'gh is not installed or not logged in: wrote a draft';
        if (useGh) {
            try {
                const { action, url } = await fileWithGh(issue, options.gh, m.experiment_id, options.now);
                results.push({ issue: record(action, url, null), recorded_now: true, note: null });
                continue;
            }
            catch (e) {
                note = `${e.message}: wrote a draft instead`;
            }
        }
        const path = issueDraftPath(options.outputsDir, m.experiment_id, issue);
        await writeDraft(path, issue);
        results.push({ issue: record('draft', null, path), recorded_now: true, note });
    }
    return results;
}
async function writeDraft(path, issue) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileDurably(path, renderDraft(issue));
}
