// `skyloop factorial watch --json` as a script reads it: stdout is the experiment's event stream, one JSON
// object a line, written while the supervisor runs (the simulator's clock is frozen between advances, so a
// line read before an advance was written before the jobs could move on).
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION } from '../../mcp-server/src/factorial/events.js';
import { SKYLOOP } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';

describe('skyloop factorial watch --json', () => {
  it('streams each event as one JSON line as it is recorded, and ends with the supervisor stopping', async () => {
    const w = factorialWorld();
    writeFileSync(w.config, `experiment: seg
factors: {model: [dynunet, sam3]}
task: task.yaml
cost: {hourly_rate_usd: 1, expected_hours: 1, budget_usd: 10}
monitor: {poll_interval_s: 1}
`);
    writeFileSync(`${w.dir}/scenario.yaml`, 'defaults: {duration: 20m, startup: {pending: 30s, starting: 1m}}\n');
    expect((await execa(SKYLOOP, ['factorial', 'launch', w.config], { env: w.env, stdin: 'ignore' })).exitCode).toBe(0);
    const before = w.events().length;

    const watch = execa(SKYLOOP, ['factorial', 'watch', 'seg', '--interval', '0.1', '--json'], { env: w.env, reject: false, stdin: 'ignore' });
    let exited = false;
    void watch.finally(() => (exited = true));
    const lines: string[] = [];
    const waiting: { match: (e: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
    createInterface({ input: watch.stdout! }).on('line', (line) => {
      lines.push(line);
      const e = JSON.parse(line) as Record<string, unknown>;
      for (const wt of waiting.filter((x) => x.match(e))) wt.resolve();
    });
    const next = (what: string, match: (e: Record<string, unknown>) => boolean) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ match, resolve });
        void watch.then((r) => reject(new Error(`watch exited (${r.exitCode}) before ${what}: ${r.stderr}`)));
      });

    await next('the supervisor started', (e) => e.type === 'supervisor' && e.action === 'started');
    expect(exited).toBe(false);
    await w.advance(3 * 60); // both jobs start running
    await next('both jobs running', () => lines.filter((l) => JSON.parse(l).to === 'RUNNING').length === 2);
    expect(exited).toBe(false);
    await w.advance(30 * 60);
    const r = await watch;
    expect(r.exitCode).toBe(0);

    const streamed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, e] of streamed.entries()) {
      expect(lines[i], 'one object per line').toBe(JSON.stringify(e));
      expect(e).toMatchObject({ schema_version: EVENT_SCHEMA_VERSION, experiment_id: 'seg', ts: expect.any(String), type: expect.any(String) });
    }
    // Exactly the events recorded from the start of the watch, in order.
    expect(streamed).toEqual(JSON.parse(JSON.stringify(w.events().slice(before))));
    expect(streamed.filter((e) => e.type === 'status_change' && e.to === 'SUCCEEDED').map((e) => e.condition).sort()).toEqual(['dynunet', 'sam3']);
    expect(streamed.at(-1)).toMatchObject({ type: 'supervisor', action: 'stopped', reason: 'every condition is accounted for' });
    // The progress lines and the summary a person reads are on stderr.
    expect(r.stderr).toMatch(/^seg: batch 0, 2 conditions/);
    expect(r.stderr).toMatch(/dynunet #\d+ RUNNING → SUCCEEDED/);
  }, 300_000);

  it('refuses --json with --detach, as JSON', async () => {
    const w = factorialWorld();
    const r = await execa(SKYLOOP, ['factorial', 'watch', 'seg', '--detach', '--json'], { env: w.env, reject: false, stdin: 'ignore' });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ schema_version: 1, error: { reason: expect.stringMatching(/--json streams events in the foreground/) } });
  });
});
