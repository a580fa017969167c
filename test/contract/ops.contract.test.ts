// `sky jobs cancel` and `sky jobs logs --no-follow` of real SkyPilot releases (run by the contract harness),
// read by skyloop's adapter and printed, exit codes included, by the simulator emulating the same release.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { cancelArgv, logsArgv, opsScenarios } from './ops-scenarios.js';
import { runHarness, type CommandResult, type ScenarioResult } from './run-harness.js';
import { simWorld } from './sim-world.js';
import { CONTRACT_VERSIONS, installCommand } from './skypilot-versions.js';

const REPLAY = fileURLToPath(new URL('./replay-sky.js', import.meta.url));

function replayCli(results: CommandResult[]): SkyCli {
  const file = join(mkdtempSync(join(tmpdir(), 'skyloop-replay-')), 'replay.json');
  writeFileSync(file, JSON.stringify(results));
  return new SkyCli({ bin: REPLAY, env: { SKYLOOP_REPLAY: file }, retries: 0, timeoutMs: 60_000 });
}

const VERSIONS = CONTRACT_VERSIONS;
const runs = new Map(VERSIONS.map((v) => [v.version, v.venv ? runHarness(v, opsScenarios(v)) : undefined]));

const OUTCOMES = ['succeeded', 'failed', 'cancelled', 'succeeded', 'failed', 'cancelled'];

/** Accepted differences: commands whose text is not compared (their exit code still is), with the reason. None. */
const ACCEPTED: { version: string; scenario: string; command: string }[] = [];
const accepted = (version: string, scenario: string, argv: string[]): boolean =>
  ACCEPTED.some((a) => a.version === version && a.scenario === scenario && argv.join(' ').startsWith(a.command));

for (const v of VERSIONS) {
  const scenarios = opsScenarios(v);
  describe.skipIf(!v.venv)(`SkyPilot ${v.version}: sky jobs cancel and sky jobs logs --no-follow`, () => {
    let real: Map<string, ScenarioResult>;
    beforeAll(async () => {
      real = await runs.get(v.version)!;
    }, 20 * 60_000);
    const results = (id: string) => real.get(id)!.results;
    const find = (id: string, argv: string[]) => results(id).find((c) => c.argv.join(' ') === argv.join(' '))!;

    it.each(scenarios.map((s) => [s.id, s] as const))('%s: the simulator prints the same text and exits alike', async (_id, scenario) => {
      const sim = simWorld(scenario, v.emulate);
      for (const c of results(scenario.id)) {
        const s = await sim.run(c.argv);
        if (accepted(v.version, scenario.id, c.argv)) {
          expect([c.argv, s.exit_code]).toEqual([c.argv, c.exit_code]);
          continue;
        }
        expect({ argv: c.argv, stdout: s.stdout, stderr: s.stderr, exit: s.exit_code }).toEqual({
          argv: c.argv,
          stdout: c.stdout,
          stderr: c.stderr,
          exit: c.exit_code,
        });
      }
    });

    it('logs: the adapter takes each outcome from what SkyPilot printed, not from a --no-follow exit code', async () => {
      const cli = replayCli(results('logs'));
      for (const [i, outcome] of OUTCOMES.entries()) {
        const r = await cli.logs(i + 1, { inQueue: true });
        expect([i + 1, r.outcome], find('logs', logsArgv(i + 1)).stdout).toEqual([i + 1, outcome]);
      }
    });

    it('cancel: the adapter reads what SkyPilot scheduled, skipped and did not find', async () => {
      const down = find('controller-down', cancelArgv('1'));
      expect([down.exit_code, down.stderr]).toEqual([1, 'sky.exceptions.ClusterNotUpError: No in-progress managed jobs.\n']);
      if (accepted(v.version, 'cancel', cancelArgv())) return; // no text to read (ACCEPTED above)
      const cli = replayCli(results('cancel'));
      expect(await cli.cancel([1])).toEqual({ cancelled: [1], already_terminal: [], not_found: [] });
      expect(await cli.cancel([3])).toEqual({ cancelled: [], already_terminal: [{ job_id: 3, status: 'SUCCEEDED' }], not_found: [] });
      expect(await cli.cancel([99])).toEqual({ cancelled: [], already_terminal: [], not_found: [99] });
      expect(await cli.cancel([5, 6])).toEqual({ cancelled: [5, 6], already_terminal: [], not_found: [] });
      const started = replayCli(results('cancel-started'));
      expect(await started.cancel([1])).toEqual({ cancelled: [1], already_terminal: [], not_found: [] });
      expect(await started.cancel([2, 3])).toEqual({ cancelled: [2, 3], already_terminal: [], not_found: [] });
    });
  });
  if (!v.venv) it.skip(`SkyPilot ${v.version} is not installed: run ${installCommand(v)}`, () => undefined);
}
