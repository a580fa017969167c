import { describe, expect, it } from 'vitest';
import { expandConditions, jobName } from '../../mcp-server/src/factorial/conditions.js';
import { ExperimentConfigSchema } from '../../mcp-server/src/factorial/experiment-config.js';
import { JOB_NAME_RULE } from '../../mcp-server/src/sky/sky-cli.js';
import { ConfigError, parseYamlFile } from '../../mcp-server/src/util/yaml-file.js';

const CONFIG = `experiment: losses
factors:
  model: [dynunet, sam3]
  loss: [dice_ce, cbdice]
  calibration: [false, true]
  fold: [0, 1, 2]
exclude:
  - {model: sam3, calibration: true, fold: 2}
task: train.sky.yaml
cost:
  hourly_rate_usd: 1.5
  expected_hours: 2
  budget_usd: 200
`;

describe('experiment config', () => {
  it('expands the grid minus exclusions into conditions with valid, unique job names', () => {
    const cfg = parseYamlFile('exp.yaml', CONFIG, ExperimentConfigSchema);
    const conditions = expandConditions(cfg);
    expect(conditions).toHaveLength(24 - 2);
    expect(conditions[0]).toEqual({
      id: 'dynunet/dice_ce/calibration-false/fold-0', slug: 'dynunet.dice_ce.calibration-false.fold-0',
      levels: { model: 'dynunet', loss: 'dice_ce', calibration: false, fold: 0 },
    });
    expect(conditions.some((c) => c.levels.model === 'sam3' && c.levels.calibration === true && c.levels.fold === 2)).toBe(false);
    for (const c of conditions) expect(jobName(cfg.experiment, c, 1)).toMatch(JOB_NAME_RULE);
    expect(cfg.kill_switch).toEqual({ enabled: true, min_failures: 3, window_s: 300 });
  });

  it('names the file, line and field of each problem', () => {
    const bad = CONFIG.replace('hourly_rate_usd: 1.5', 'hourly_rate_usd: cheap').replace('[0, 1, 2]', '[0, 1, 2]\n  Bad: [x]');
    const err = (() => { try { parseYamlFile('exp.yaml', bad, ExperimentConfigSchema); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^exp\.yaml:7: factors\.Bad: factor names are lower_snake_case/m);
    expect(msg).toMatch(/^exp\.yaml:12: cost\.hourly_rate_usd: /m);
  });

  it('reports malformed YAML with its line', () => {
    expect(() => parseYamlFile('exp.yaml', 'experiment: x\nfactors:\n  model: [a, b\n', ExperimentConfigSchema)).toThrow(/^exp\.yaml:\d+: /);
  });

  it('rejects exclusions naming unknown levels and non-docker images', () => {
    const bad = CONFIG.replace('fold: 2}', 'fold: 7}') + 'image: ghcr.io/org/train:v1\n';
    expect(() => parseYamlFile('exp.yaml', bad, ExperimentConfigSchema)).toThrow(/exclude\.0\.fold: '7' is not a level of fold[\s\S]*image: must be a docker image/);
  });

  it('refuses levels that collide once made safe for job names', () => {
    expect(() => expandConditions({ factors: { model: ['a b', 'a-b'] }, exclude: [] })).toThrow(/same job name 'a-b'/);
  });
});
