// `sky jobs queue` of real SkyPilot releases (run by the contract harness), read by skyloop's adapter and
// printed by the simulator emulating the same release over the same jobs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../../mcp-server/src/sky/job-record.js';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { expectedTasks, type ExpectedTask } from './expected.js';
import { ADAPTER_JSON, ADAPTER_TABLE, queueScenarios } from './queue-scenarios.js';
import { runHarness, type CommandResult, type ScenarioResult } from './run-harness.js';
import type { Scenario } from './scenario.js';
import { simWorld } from './sim-world.js';
import { CONTRACT_VERSIONS, installCommand } from './skypilot-versions.js';

const REPLAY = fileURLToPath(new URL('./replay-sky.js', import.meta.url));

/** SkyCli over recorded real output. */
function replayCli(results: CommandResult[]): SkyCli {
  const file = join(mkdtempSync(join(tmpdir(), 'skyloop-replay-')), 'replay.json');
  writeFileSync(file, JSON.stringify(results));
  return new SkyCli({ bin: REPLAY, env: { SKYLOOP_REPLAY: file }, retries: 0, timeoutMs: 20_000 });
}

/** The precision a table's relative time carries ("3 hrs ago" is good to the hour). */
function tolerance(ageSeconds: number): number {
  if (ageSeconds < 3600) return 60;
  if (ageSeconds < 86_400) return 3600;
  return 86_400;
}

function expectRecords(records: JobRecord[], expected: ExpectedTask[], now: number, exact: boolean): void {
  expect(records.map((r) => [r.job_id, r.task_id, r.job_name, r.task_name, r.status, r.resources, r.recovery_count])).toEqual(
    expected.map((e) => [e.job_id, e.task_id, e.job_name, e.task_name, e.status, e.resources, e.recovery_count]),
  );
  records.forEach((r, i) => {
    const e = expected[i]!;
    const where = `job ${e.job_id} task ${e.task_id} (${e.status})`;
    if (exact) {
      expect(r.failure_reason, where).toBe(e.failure_reason);
      expect([r.submitted_at, r.started_at, r.ended_at], where).toEqual([e.submitted_at, e.started_at, e.ended_at]);
      return;
    }
    // The table shows the reason inside DETAILS; it may be cut to the column's width.
    if (e.failure_reason === null) expect(r.failure_reason, where).toBeNull();
    else expect(e.failure_reason.startsWith(r.failure_reason ?? '\0'), where).toBe(true);
    for (const [got, want] of [
      [r.submitted_at, e.submitted_at],
      [r.started_at, e.started_at],
    ] as const) {
      if (want === null) expect(got, where).toBeNull();
      else expect(Math.abs((got ?? 0) - want), `${where}: ${got} vs ${want}`).toBeLessThanOrEqual(tolerance(now - want));
    }
  });
}

const VERSIONS = CONTRACT_VERSIONS;

/**
 * The differences the simulator is allowed, each masked in both outputs:
 * - the instants of `-o json` records: the simulator puts simulated instants on the real clock (so a client's
 *   "submitted 20 minutes ago" arithmetic holds at any speed), while the harness freezes SkyPilot's clock at
 *   the scenario's instant. The adapter test above checks the real instants exactly.
 */
const INSTANT = /("(?:submitted_at|start_at|end_at|last_recovered_at)": )\d+\.\d+(?:e[+-]?\d+)?/g;
const masked = (text: string): string => text.replace(INSTANT, '$1<instant>');

// Every release's harness starts at once: most of their time is spent in processes of their own.
const runs = new Map(VERSIONS.map((v) => [v.version, v.venv ? runHarness(v, queueScenarios(v)) : undefined]));

afterEach(() => {
  vi.useRealTimers();
});

for (const v of VERSIONS) {
  const scenarios = queueScenarios(v);
  describe.skipIf(!v.venv)(`SkyPilot ${v.version}: sky jobs queue`, () => {
    let real: Map<string, ScenarioResult>;
    beforeAll(async () => {
      real = await runs.get(v.version)!;
    }, 20 * 60_000);
    const result = (s: Scenario) => real.get(s.id)!;

    it.each(scenarios.map((s) => [s.id, s] as const))('%s: the adapter reads every record', async (_id, scenario) => {
      const results = result(scenario).results;
      const json = results.find((c) => c.argv.join(' ') === ADAPTER_JSON.join(' '))!;
      const up = scenario.controller === 'up' || scenario.controller === undefined;
      // `-o json` exists from 0.12; with the controller down it fails with ClusterNotUpError (exit 1).
      expect(json.exit_code, json.stderr).toBe(!v.has.jsonOutput ? 2 : up ? 0 : 1);
      vi.useFakeTimers({ toFake: ['Date'], now: scenario.now * 1000 });
      const q = await replayCli(results).queue();
      expect(q.source).toBe(v.has.jsonOutput && up ? 'json' : 'table');
      const expected = up ? expectedTasks(scenario) : [];
      expectRecords(q.records, expected, scenario.now, q.source === 'json');
      expect(q.controller).toBe(scenario.controller ?? 'up');
      if (v.has.jsonOutput && up) {
        // The table says the same as the JSON.
        const table = results.find((c) => c.argv.join(' ') === ADAPTER_TABLE.join(' '))!;
        const t = await replayCli([{ ...json, exit_code: 2, stdout: '', stderr: 'Error: No such option: -o\n' }, table]).queue();
        expectRecords(t.records, expected, scenario.now, false);
      }
    });

    it.each(scenarios.map((s) => [s.id, s] as const))('%s: the simulator prints the same text', async (_id, scenario) => {
      const sim = simWorld(scenario, v.emulate);
      for (const c of result(scenario).results) {
        const s = await sim.run(c.argv);
        expect({ argv: c.argv, stdout: masked(s.stdout), stderr: s.stderr, exit: s.exit_code }).toEqual({
          argv: c.argv,
          stdout: masked(c.stdout),
          stderr: c.stderr,
          exit: c.exit_code,
        });
      }
    });
  });
  if (!v.venv) it.skip(`SkyPilot ${v.version} is not installed: run ${installCommand(v)}`, () => undefined);
}
