// The numbers the skills quote (thresholds, caps, budgets) are the code's defaults: if a default changes,
// this fails until the Markdown says the new number.
import { describe, expect, it } from 'vitest';
import { ExperimentConfigSchema } from '../../mcp-server/src/factorial/experiment-config.js';
import { RalphSettingsSchema } from '../../mcp-server/src/ralph/ralph-settings.js';
import { readRepo } from './skill-pack.js';

const minimalConfig = {
  experiment: 'x', factors: { a: [1] }, task: 't.yaml', cost: { hourly_rate_usd: 1, expected_hours: 1, budget_usd: 1 },
};

describe('defaults quoted in the skill pack', () => {
  const cfg = ExperimentConfigSchema.parse(minimalConfig);
  const ralph = RalphSettingsSchema.parse({ task_yaml: 't.yaml' });

  it('kill switch, approval threshold and relaunch cycles (factorial-monitor)', () => {
    const rules = readRepo('instructions/rules.md');
    expect(rules).toContain(`min_failures: ${cfg.kill_switch.min_failures} `);
    expect(rules).toContain(`window_s: ${cfg.kill_switch.window_s} `);
    expect(rules).toContain(`(default $${cfg.cost.approval_threshold_usd})`);
    expect(rules).toContain(`(default and maximum in the config: ${cfg.relaunch.max_cycles})`);
    const skill = readRepo('skills/factorial-monitor/SKILL.md');
    expect(skill).toContain(`At least ${cfg.kill_switch.min_failures} jobs`);
    expect(skill).toContain(`within ${cfg.kill_switch.window_s} s`);
    expect(skill).toContain(`approval threshold ($${cfg.cost.approval_threshold_usd})`);
    expect(readRepo('instructions/cost-tracking.md')).toContain(`(default **$${cfg.cost.approval_threshold_usd}**)`);
    expect(readRepo('protocols/factorial-monitor/monitor.md')).toContain(`at least \`min_failures\` (${cfg.kill_switch.min_failures})`);
  });

  it('budget, retry cap, attempt cap, polling and stuck limit (ralph-loop)', () => {
    const skill = readRepo('skills/ralph-loop/SKILL.md');
    expect(skill).toContain(`more than ${ralph.max_retries_per_category} times`);
    expect(skill).toContain(`${ralph.max_attempts} attempts in all`);
    expect(skill).toContain(`(default\n  $${ralph.budget_usd})`);
    expect(skill).toContain(`\`poll_interval_s\` (${ralph.poll_interval_s} s)`);
    expect(skill).toContain(`\`stuck_after_s\` (${ralph.stuck_after_s} s)`);
    expect(skill).toContain(`\`outage_window_s\`, default ${ralph.outage_window_s} s`);
    expect(readRepo('instructions/cost-tracking.md')).toContain(`Default budget **$${ralph.budget_usd}**`);
    const loop = readRepo('protocols/ralph-loop/loop.md');
    expect(loop).toContain(`\`max_retries_per_category\` (${ralph.max_retries_per_category})`);
    expect(loop).toContain(`\`max_attempts\` (${ralph.max_attempts})`);
    expect(loop).toContain(`\`stuck_after_s\` (${ralph.stuck_after_s} s)`);
    expect(loop).toContain(`\`preemptions_before_on_demand\` (${ralph.preemptions_before_on_demand})`);
  });
});
