// An agent's own classification of a failure the engine was not sure of is recorded as the agent's: in the
// manifest (next to the engine's category), in the event log, in the aggregation and in the Markdown report.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateFailures, renderAggregation } from '../../mcp-server/src/diagnosis/aggregate-failures.js';
import { defaultLibrary } from '../../mcp-server/src/diagnosis/default-library.js';
import { recordClassifications } from '../../mcp-server/src/factorial/record-classifications.js';
import { currentAttempt, findEntry } from '../../mcp-server/src/factorial/manifest.js';
import { buildReportModel } from '../../mcp-server/src/report/report-model.js';
import { renderMarkdownReport } from '../../mcp-server/src/report/markdown-report.js';
import { ExperimentStore } from '../../mcp-server/src/store/experiment-store.js';
import { cond, failure, finishBatch, launchBatch, newManifest } from '../report/report-fixture.js';

const library = defaultLibrary();
const GUESS = { ...failure('GPU_SOLD_OUT', 'Failed to acquire resources in all zones in us-east-1 for {AWS(g5.2xlarge)}.', 'auto'), confidence: 'low' as const };

async function experiment() {
  const m = newManifest('agentcls');
  const all = m.jobs.map((j) => j.condition);
  const a = cond('sam3', 'cbdice', true, 0);
  const b = cond('sam3', 'cbdice', true, 1);
  finishBatch(m, 0, launchBatch(m, 0, all, m.docker_image), { [a]: { status: 'FAILED', minutes: 3, failure: GUESS }, [b]: { status: 'FAILED', minutes: 3, failure: GUESS } });
  const store = new ExperimentStore(mkdtempSync(join(tmpdir(), 'skyloop-agentcls-')), 'agentcls');
  await store.create(m, []);
  return { store, a, b };
}

describe("the agent's classification", () => {
  it('is recorded as the agent\'s in the manifest, the events, the aggregation and the report', async () => {
    const { store, a, b } = await experiment();
    const line = "Error: (QuotaExceeded) exceeding approved Standard NCASv3_T4 Family Cores quota. Current Limit: 0";
    const m = await recordClassifications(store, [{ condition: a, category: 'QUOTA_EXCEEDED', evidence: line, reason: 'the provider refused the quota before any stock-out' }], library);
    const f = currentAttempt(findEntry(m, a))!.failure!;
    expect(f).toMatchObject({ category: 'QUOTA_EXCEEDED', classified_by: 'agent', engine_category: 'GPU_SOLD_OUT', fixability: 'config', line });
    expect(f.fingerprint).toMatch(/^QUOTA_EXCEEDED:/);
    expect(currentAttempt(findEntry(m, b))!.failure!.classified_by).toBeUndefined();
    expect(store.readEvents().filter((e) => e.type === 'diagnosis').at(-1)).toMatchObject({ condition: a, category: 'QUOTA_EXCEEDED', classified_by: 'agent' });

    const agg = aggregateFailures(m, (id) => library.byName.get(id), new Date());
    const quota = agg.root_causes.find((r) => r.root_cause_id === 'QUOTA_EXCEEDED')!;
    expect(quota.classified_by_agent).toEqual([a]);
    expect(agg.root_causes.find((r) => r.root_cause_id === 'GPU_SOLD_OUT')!.classified_by_agent).toBeUndefined();
    const text = renderAggregation(agg, 'agentcls');
    expect(text).toContain(`classified by the agent (not the engine): ${a}`);
    expect(text).toMatch(/GPU_SOLD_OUT[\s\S]*not confident \(low\): analyze_logs on job/);

    const m2 = store.read();
    m2.aggregations.push(agg);
    expect(renderMarkdownReport(buildReportModel(m2), new Date())).toContain('Classified by the agent, not the engine');
  });

  it('refuses an unknown category or a condition without a diagnosed failure, naming it', async () => {
    const { store, a } = await experiment();
    await expect(recordClassifications(store, [{ condition: a, category: 'GPU_TOO_SLOW', evidence: 'x', reason: 'y' }], library)).rejects.toThrow(/unknown category GPU_TOO_SLOW/);
    const healthy = cond('dynunet', 'dice_ce', false, 0);
    await expect(recordClassifications(store, [{ condition: healthy, category: 'OOM_CUDA', evidence: 'x', reason: 'y' }], library)).rejects.toThrow(new RegExp(`${healthy.replace(/[/]/g, '\\/')}: it has no diagnosed failure`));
  });
});
