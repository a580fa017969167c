// The failure_reason the simulator records for a failed task reads as the emulated release writes it
// (sky/jobs/controller.py and sky/jobs/utils.py of 0.9.3 … 0.14.1, read from the installed releases).
import { describe, expect, it } from 'vitest';
import type { Rule, Scenario } from '../../mcp-server/src/simulator/scenario.js';
import { buildTask, type TaskSpec } from '../../mcp-server/src/simulator/timeline.js';
import { profileFor } from '../../mcp-server/src/simulator/versions.js';

const spec = (nodes = 1): TaskSpec => ({ name: 'train', resources: '1x[H100:8]', nodes, envs: {}, cloud: 'aws', region: 'us-east-1', clusterResources: '1x(gpus=H100:8)' });
const scenario: Scenario = { rules: [] };
const reason = (rule: Partial<Rule>, version: string, nodes = 1) => buildTask(spec(nodes), rule as Rule, scenario, 7, 1_000, profileFor(version)!.has).task.fr;

describe('failure reasons per emulated release', () => {
  it("a failed program: 0.14 names the exit codes, earlier releases only point at the controller log", () => {
    for (const v of ['0.9.3', '0.10.5', '0.12.3.post1']) {
      expect(reason({ outcome: 'fail', exit_code: 3 }, v)).toBe('To see the details, run: sky jobs logs --controller 7');
    }
    expect(reason({ outcome: 'fail', exit_code: 3 }, 'current')).toBe('Job exited with exit code 3 (user program failure). To see the details, run: sky jobs logs --controller 7');
    // One code per node: SkyPilot kills the other nodes' processes with 137 (the simulated epilogue says so too).
    expect(reason({ outcome: 'fail', exit_code: 3 }, 'current', 2)).toBe('Job exited with exit codes [3, 137] (user program failure). To see the details, run: sky jobs logs --controller 7');
    expect(reason({ outcome: 'fail', category: 'OOM_CUDA' }, 'current')).toMatch(/^Job exited with exit code 1 \(user program failure\)\. /);
    expect(reason({ outcome: 'fail', reason: 'given by the scenario' }, 'current')).toBe('given by the scenario');
  });

  it('a dead controller: the reason the status check found, in parentheses (every release)', () => {
    expect(reason({ outcome: 'failed_controller' }, '0.9.3')).toBe('Controller process has exited abnormally (Controller process is dead). For more details, run: sky jobs logs --controller 7');
  });

  it('an infeasible request fails its prechecks with the optimizer\'s own error, bracketed as the controller stores it', () => {
    expect(reason({ outcome: 'fail', category: 'INFEASIBLE_RESOURCES' }, 'current')).toBe(
      '[sky.exceptions.ResourcesUnavailableError] Catalog and kubernetes cluster does not contain any instances satisfying the request:',
    );
  });
});
