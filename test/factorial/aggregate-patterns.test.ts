// Factor patterns say where a cause lives, against the levels the batch's conditions do not all share.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregateFailures } from '../../mcp-server/src/diagnosis/aggregate-failures.js';
import type { Manifest } from '../../mcp-server/src/factorial/manifest.js';

const example = (): Manifest => JSON.parse(readFileSync(new URL('../../templates/factorial-manifest.example.json', import.meta.url), 'utf8')) as Manifest;
const patterns = (m: Manifest) => aggregateFailures(m, () => undefined, new Date()).root_causes.map((r) => [r.root_cause_id, r.pattern]);

describe('factor patterns of an aggregation', () => {
  it('a single failed condition is "one condition", not a model+loss+calibration+fold-specific cause', () => {
    const [[, pattern]] = patterns(example()) as [[string, string]];
    expect(pattern).toBe('one condition (model=dynunet, loss=dice_ce, calibration=true, fold=2)');
  });

  it('a relaunch batch of one config failing everywhere is that config, not "infrastructure"', () => {
    const m = example();
    const oom = m.jobs.find((j) => j.condition === 'sam3/cbdice/calibration-false/fold-0')!.attempts[0]!.failure!;
    for (const j of m.jobs) {
      const last = j.attempts.at(-1)!;
      if (j.condition.startsWith('sam3/cbdice/')) {
        Object.assign(last, { status: 'FAILED', failure: oom });
        j.status = 'FAILED';
      } else if (last.batch === 1) {
        j.attempts.pop();
      }
    }
    expect(patterns(m)).toEqual([['OOM_CUDA', 'every condition of this relaunch batch (it shares model=sam3, loss=cbdice)']]);
  });

  it('levels every condition of the batch shares are no evidence', () => {
    const m = example();
    // Batch 0 as if the grid had only loss=cbdice: the OOM of sam3 is model-specific, not model+loss.
    m.jobs = m.jobs.filter((j) => j.levels.loss === 'cbdice').map((j) => ({ ...j, attempts: j.attempts.slice(0, 1) }));
    m.batches = m.batches.slice(0, 1);
    m.aggregations = [];
    for (const j of m.jobs) j.status = j.attempts[0]!.status ?? j.status;
    expect(patterns(m)[0]).toEqual(['OOM_CUDA', 'model-specific (model=sam3)']);
  });
});
