// `sky jobs launch --detach-run` of real SkyPilot releases (run by the contract harness with the controller VM
// replaced, see below), read by skyloop's adapter and printed by the simulator emulating the same release.
//
// What the harness replaces on the launch path, and the lines it prints there: the controller VM's provisioning
// (CloudVmRayBackend._provision of the jobs controller) returns the controller's handle and "provisioning
// skipped", what SkyPilot's own step returns for an UP controller whose config hash is unchanged, and, like that
// path, prints nothing; the copy of the controller task's files to the VM (CloudVmRayBackend._sync_file_mounts,
// rsync over SSH) is a local copy and prints nothing (its `⚙︎ Syncing files.` line comes from SkyPilot's
// execution.py before the step). The generated controller commands (add the job, queue it, set it PENDING) run
// locally through SkyPilot's own backend code. So every compared line is printed by SkyPilot's code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLaunchJobIds } from '../../mcp-server/src/sky/launch-output-parser.js';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { LAUNCHED, launchArgv, launchScenarios, TASK_YAML } from './launch-scenarios.js';
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
const runs = new Map(VERSIONS.map((v) => [v.version, v.venv ? runHarness(v, launchScenarios()) : undefined]));

/**
 * Accepted differences, masked on both sides before the byte comparison, each with its reason.
 * - The jobs controller's name ends with the API server's user hash (`Ensuring the jobs controller
 *   sky-jobs-controller-<hash> is up`, 0.11 on): SkyPilot derives it from the server's user and host name
 *   (common_utils.generate_user_hash), so it changes with the machine; the simulator uses its user's hash.
 */
const MASKS: { pattern: RegExp; as: string }[] = [{ pattern: /sky-jobs-controller-[0-9a-f]{8}\b/g, as: 'sky-jobs-controller-<server user hash>' }];
const masked = (text: string): string => MASKS.reduce((t, m) => t.replace(m.pattern, m.as), text);

for (const v of VERSIONS) {
  describe.skipIf(!v.venv)(`SkyPilot ${v.version}: sky jobs launch --detach-run`, () => {
    let real: ScenarioResult;
    beforeAll(async () => {
      real = (await runs.get(v.version)!)!.get('launch')!;
    }, 20 * 60_000);
    const launches = () => LAUNCHED.map((name) => real.results.find((c) => c.argv.join(' ') === launchArgv(name).join(' '))!);

    it('the launch succeeds and SkyPilot lists each launched job in its queue', async () => {
      for (const c of launches()) expect([c.argv, c.exit_code, c.stderr]).toEqual([c.argv, 0, '']);
      const queue = await replayCli(real.results).queue();
      expect(queue.records.map((r) => r.job_name).sort()).toEqual([...LAUNCHED].sort());
    });

    it("the adapter reads the id SkyPilot gave each job from the launch's own output", async () => {
      const queue = await replayCli(real.results).queue();
      const cli = replayCli(real.results);
      for (const [i, name] of LAUNCHED.entries()) {
        const given = queue.records.find((r) => r.job_name === name)!.job_id;
        expect(parseLaunchJobIds(launches()[i]!.stdout), launches()[i]!.stdout).toEqual([given]);
        expect((await cli.launch(TASK_YAML, { name })).job_id).toBe(given);
      }
    });

    it('the simulator prints the same text and exits alike', async () => {
      const sim = simWorld(launchScenarios()[0]!, v.emulate);
      for (const c of launches()) {
        const s = await sim.run(c.argv);
        expect({ argv: c.argv, stdout: masked(s.stdout), stderr: masked(s.stderr), exit: s.exit_code }).toEqual({
          argv: c.argv,
          stdout: masked(c.stdout),
          stderr: masked(c.stderr),
          exit: c.exit_code,
        });
      }
    });
  });
  if (!v.venv) it.skip(`SkyPilot ${v.version} is not installed: run ${installCommand(v)}`, () => undefined);
}
