// The failure_reason the simulator records for a failed task against what each emulated release's own code
// writes (harness/failure_reasons.py: SkyPilot's format_exception and the controller's source).
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Rule, Scenario } from '../../mcp-server/src/simulator/scenario.js';
import { buildTask } from '../../mcp-server/src/simulator/timeline.js';
import { profileFor } from '../../mcp-server/src/simulator/versions.js';
import { CONTRACT_VERSIONS, installCommand } from './skypilot-versions.js';

const SCRIPT = fileURLToPath(new URL('./harness/failure_reasons.py', import.meta.url));
const spec = { name: 'train', resources: '1x[H100:8]', nodes: 1, envs: {}, cloud: 'aws', region: 'us-east-1', clusterResources: '1x(gpus=H100:8)' };
const scenario: Scenario = { rules: [] };

interface Real {
  no_resource: string;
  precheck_bracket: string;
  exit_codes_in_reason: boolean;
  controller_dead: boolean;
  details_pointer: boolean;
}

for (const v of CONTRACT_VERSIONS) {
  describe.skipIf(!v.venv)(`SkyPilot ${v.version}: failure reasons`, () => {
    it('the simulator writes the reasons the release writes', async () => {
      const real = JSON.parse((await execa(v.venv!.python, [SCRIPT])).stdout) as Real;
      const has = profileFor(v.emulate)!.has;
      const fr = (rule: Partial<Rule>) => buildTask(spec, rule as Rule, scenario, 7, 1_000, has).task.fr;

      expect(fr({ outcome: 'failed_no_resource' })).toBe(real.no_resource);
      expect(has.exitCodesInReason).toBe(real.exit_codes_in_reason);
      expect(real.details_pointer).toBe(true);
      expect(fr({ outcome: 'fail', exit_code: 2 })).toBe(`${real.exit_codes_in_reason ? 'Job exited with exit code 2 (user program failure). ' : ''}To see the details, run: sky jobs logs --controller 7`);
      expect(real.controller_dead).toBe(true);
      expect(fr({ outcome: 'failed_controller' })).toMatch(/^Controller process has exited abnormally \(Controller process is dead\)\. For more details, run: sky jobs logs --controller 7$/);
      // A precheck failure is stored bracketed: `[sky.exceptions.X] message`.
      const bracket = real.precheck_bracket.replace(/ MSG$/, ' ');
      expect(fr({ outcome: 'failed_precheck' })?.startsWith(bracket)).toBe(true);
      expect(fr({ outcome: 'fail', category: 'INFEASIBLE_RESOURCES' })?.startsWith(bracket)).toBe(true);
    });
  });
  if (!v.venv) it.skip(`SkyPilot ${v.version} is not installed: run ${installCommand(v)}`, () => undefined);
}
