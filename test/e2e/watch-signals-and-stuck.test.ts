import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../../mcp-server/src/factorial/manifest.js';
import { SKYLOOP } from '../helpers/paths.js';
import { factorialWorld, waitFor } from '../helpers/factorial-fixture.js';

describe('skyloop factorial watch', () => {
  it('warns once about jobs stuck waiting for capacity and shows them as needing attention', async () => {
    const w = factorialWorld();
    writeFileSync(join(w.dir, 'scenario.yaml'), `rules:
  - match: {env: {MODEL: sam3}}
    outcome: stuck
`);
    writeFileSync(w.config, `experiment: seg
factors: {model: [dynunet, sam3]}
task: task.yaml
cost: {hourly_rate_usd: 1, expected_hours: 1, budget_usd: 10}
monitor: {poll_interval_s: 1, stuck_after_s: 1200}
`);
    const skyloop = (args: string[]) => execa(SKYLOOP, args, { env: w.env, reject: false, stdin: 'ignore' });
    expect((await skyloop(['factorial', 'launch', w.config])).exitCode).toBe(0);
    await w.advance(600);
    await skyloop(['factorial', 'status', 'seg', '--refresh']);
    await w.advance(1200);
    await skyloop(['factorial', 'status', 'seg', '--refresh']);
    const status = JSON.parse((await skyloop(['factorial', 'status', 'seg', '--refresh', '--json'])).stdout);
    expect(status.attention).toEqual([expect.objectContaining({ condition: 'sam3', why: 'stuck' })]);
    const warnings = w.events().filter((e) => e.type === 'stuck_warning');
    expect(warnings).toEqual([expect.objectContaining({ condition: 'sam3' })]);
    expect(['PENDING', 'STARTING']).toContain(warnings[0]?.status);
  });

  it('stops on Ctrl-C with exit 130, leaving a manifest that parses', async () => {
    const w = factorialWorld();
    expect((await execa(SKYLOOP, ['factorial', 'launch', w.config, '--approve'], { env: w.env })).exitCode).toBe(0);
    const watch = execa(SKYLOOP, ['factorial', 'watch', 'seg', '--interval', '0.1'], { env: w.env, reject: false, stdin: 'ignore' });
    await waitFor('a first poll', () => w.manifest().last_poll_at);
    watch.kill('SIGINT');
    const r = await watch;
    expect(r.exitCode).toBe(130);
    expect(() => ManifestSchema.parse(w.manifest())).not.toThrow();
  });
});
