// An agent's whole factorial story through the stdio server, as Claude Code would drive it, with the careless
// agent's shortcuts tried on the way: every refusal names its rule and the next MCP call, and the results of
// the whole story stay small (under 30 KB for 12 conditions, no more per condition at 12 than at 6).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { SKY_SIM, SKYLOOP_MCP } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';
import { startSimRegistry } from '../helpers/sim-registry.js';

type Result = { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };
type Summary = { all_terminal: boolean; all_succeeded: boolean; counts: Record<string, number> };

/** model × loss × fold: `losses` loss levels, so 6 × losses conditions. model=oom runs out of GPU memory unless it runs a rebuilt (digest-pinned) image. */
async function storyWorld(losses: string[], { fixWorks = true } = {}) {
  const w = factorialWorld();
  const registry = await startSimRegistry(w.env);
  const image = `${registry.host}/seg-train:v1`;
  writeFileSync(join(w.dir, 'scenario.yaml'), `defaults: {duration: 20m, startup: {pending: 30s, starting: 1m}}
rules:
${fixWorks ? '  - match: {env: {MODEL: oom}, image: "*@sha256:*"}\n    outcome: succeed\n' : ''}  - match: {env: {MODEL: oom, FOLD: "2"}}
    outcome: fail
    category: OOM_CUDA
    at_minute: 6
    startup: {pending: 3m, starting: 1m}
  - match: {env: {MODEL: oom}}
    outcome: fail
    category: OOM_CUDA
    at_minute: 6
`);
  writeFileSync(w.config, `experiment: seg
factors: {model: [ok, oom], loss: [${losses.join(', ')}], fold: [0, 1, 2]}
task: task.yaml
image: docker:${image}
cost: {hourly_rate_usd: 2, expected_hours: 1, budget_usd: 400, approval_threshold_usd: 10}
kill_switch: {min_failures: 2}
monitor: {poll_interval_s: 1}
commands:
  test: "true"
  build: echo building $(git rev-parse HEAD)
  push: ${SKY_SIM} sim push ${image} --label commit=$(git rev-parse HEAD)
  timeout_s: 60
`);
  const git = (...args: string[]) =>
    execa('git', args, { cwd: w.dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  await git('init', '-q');
  writeFileSync(join(w.dir, '.gitignore'), 'outputs/\nscenario.yaml\n');
  writeFileSync(join(w.dir, 'train.py'), 'batch_size = 64\n');
  await git('add', '-A');
  await git('commit', '-qm', 'experiment');
  await execa(SKY_SIM, ['sim', 'push', image, '--label', 'commit=initial'], { env: w.env });

  const client = new Client({ name: 'agent-story', version: '0' });
  // The server starts elsewhere; the client's project is the experiment's directory (as CLAUDE_PROJECT_DIR says).
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env: { ...w.env, CLAUDE_PROJECT_DIR: w.dir }, cwd: '/', stderr: 'pipe' }));
  let bytes = 0;
  const calls: string[] = [];
  const call = async (name: string, args: Record<string, unknown>): Promise<Result> => {
    const r = (await client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: 120_000 })) as Result;
    bytes += JSON.stringify({ content: r.content, structuredContent: r.structuredContent }).length;
    calls.push(name);
    return r;
  };
  const read = async (uri: string) => {
    const r = await client.readResource({ uri });
    bytes += JSON.stringify(r.contents).length;
    return JSON.parse(String((r.contents[0] as { text: string }).text)) as Record<string, unknown>;
  };
  /** wait_for_change with the clock moved on until every job of the batch is terminal. */
  const untilTerminal = async (): Promise<Summary> => {
    await w.advance(8 * 60);
    await call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
    for (let i = 0; i < 5; i++) {
      await w.advance(24 * 3600);
      const r = await call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
      const s = (r.structuredContent as { summary: Summary }).summary;
      if (s.all_terminal) return s;
    }
    throw new Error('the batch never became terminal');
  };
  return {
    ...w, git, call, read, untilTerminal, calls,
    bytes: () => bytes,
    close: async () => {
      await client.close();
      await registry.stop();
    },
  };
}

const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

/** A refusal: an error result whose text starts with the rule and names the next MCP call. */
function expectRefusal(r: Result, rule: string, next: RegExp) {
  expect(r.isError, text(r)).toBe(true);
  expect(text(r)).toMatch(new RegExp(`^${rule.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  expect(text(r)).toMatch(/\nnext: /);
  expect(text(r).split('\nnext: ')[1]).toMatch(next);
  expect(text(r)).toMatch(/\(CLI: (git commit, then )?skyloop /);
}

/** The happy story with the probes; returns the bytes of every result. */
async function story(losses: string[]): Promise<{ bytes: number; conditions: number }> {
  const w = await storyWorld(losses);
  const n = 6 * losses.length;
  try {
    // Launch: the approval refusal gives the arithmetic, and a relative config path is the client's project's.
    const ask = await w.call('launch_factorial', { config_path: 'experiment.yaml' });
    expectRefusal(ask, 'APPROVAL', /launch_factorial\(config_path=".*\/experiment\.yaml", approve=true\)/);
    expect(text(ask)).toContain(`${n} conditions × 1 h × $2/h × 1 node(s) = $${(2 * n).toFixed(2)}`);
    const launched = await w.call('launch_factorial', { config_path: 'experiment.yaml', approve: true });
    expect(launched.structuredContent).toMatchObject({ conditions: n, launched: n });
    expect(text(launched).length).toBeLessThan(400);

    // Careless: relaunch and rebuild while the batch runs.
    expectRefusal(await w.call('relaunch_failed', { experiment: 'seg' }), 'F1 WAIT-FOR-TERMINAL', /^wait_for_change\(experiment="seg"\)/);
    expectRefusal(await w.call('rebuild_and_verify_digest', { experiment: 'seg' }), 'F1 WAIT-FOR-TERMINAL', /^wait_for_change/);

    await w.call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
    // The kill switch fires on the oom folds 0/1; the oom fold-2 jobs, still starting, are cancelled.
    await w.advance(8 * 60);
    const fired = await w.call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
    const ks = (fired.structuredContent as { kill_switch: { fired: boolean; cancelled: string[] }[] }).kill_switch;
    expect(ks.filter((k) => k.fired).flatMap((k) => k.cancelled).sort()).toEqual(losses.map((l) => `oom/${l}/fold-2`).sort());
    // Diagnosis may start after the kill switch, but a rebuild still waits for every job.
    const early = await w.call('rebuild_and_verify_digest', { experiment: 'seg' });
    const running = (fired.structuredContent as { summary: Summary & { terminal: number; total: number } }).summary;
    if (running.terminal < running.total) expectRefusal(early, 'F1 WAIT-FOR-TERMINAL', /^wait_for_change/);
    const end = await w.untilTerminal();
    expect(end.counts).toEqual({ SUCCEEDED: 3 * losses.length, FAILED: 2 * losses.length, CANCELLED: losses.length });

    // The compact view is what the skill reads: one row per condition, each fingerprint once.
    const view = await w.read('skyloop://experiments/seg/view');
    expect((view.conditions as unknown[]).length).toBe(n);
    expect(Object.keys(view.fingerprints as object)).toHaveLength(1);

    const agg = await w.call('aggregate_failures', { experiment: 'seg' });
    expect(agg.structuredContent).toMatchObject({ failed: 2 * losses.length, relaunch_cycles: { next_cycle: 1, limit: 2, last_allowed: false } });
    expect((agg.structuredContent as { root_causes: { pattern: string }[] }).root_causes[0]?.pattern).toMatch(/^model-specific \(model=oom\)/);

    // Careless: relaunch before any fix, then with an uncommitted fix, then a committed fix without a rebuild.
    expectRefusal(await w.call('relaunch_failed', { experiment: 'seg' }), 'F3 REBUILD-BEFORE-RELAUNCH', /^fix the root causes and commit, then rebuild_and_verify_digest/);
    writeFileSync(join(w.dir, 'train.py'), 'batch_size = 32\n');
    expectRefusal(await w.call('rebuild_and_verify_digest', { experiment: 'seg' }), 'F3 REBUILD-BEFORE-RELAUNCH', /^commit \(or stash\) the changes, then rebuild_and_verify_digest/);
    expectRefusal(await w.call('relaunch_failed', { experiment: 'seg' }), 'F3 REBUILD-BEFORE-RELAUNCH', /^commit \(or stash\)/);
    await w.git('commit', '-qam', 'halve the batch size: oom ran out of GPU memory');
    expectRefusal(await w.call('relaunch_failed', { experiment: 'seg' }), 'F3 REBUILD-BEFORE-RELAUNCH', /^rebuild_and_verify_digest\(experiment="seg"\)/);

    const rebuild = await w.call('rebuild_and_verify_digest', { experiment: 'seg' });
    expect(rebuild.structuredContent).toMatchObject({ verified: true });
    const relaunch = await w.call('relaunch_failed', { experiment: 'seg' });
    expect(relaunch.structuredContent).toMatchObject({ batch: 1, launched: 3 * losses.length, cycles: 'this is relaunch cycle 1 of 2' });
    const again = await w.untilTerminal();
    expect(again.all_succeeded).toBe(true);

    expectRefusal(await w.call('relaunch_failed', { experiment: 'seg' }), 'NOTHING TO RELAUNCH', /^generate_report\(experiment="seg"\)/);
    const report = await w.call('generate_report', { experiment: 'seg', file_issues: false });
    expect(report.isError).toBeFalsy();
    return { bytes: w.bytes(), conditions: n };
  } finally {
    await w.close();
  }
}

describe('an agent drives a factorial grid through skyloop-mcp (stdio, simulator, registry)', () => {
  it('the story: launch with approval, kill switch, aggregate, fix, rebuild, relaunch, report; every shortcut refused with its next call; small results', async () => {
    const twelve = await story(['dice', 'cbdice']);
    expect(twelve.bytes).toBeLessThan(30_000);
    const six = await story(['dice']);
    if (process.env.SKYLOOP_PRINT_SIZES) console.log(`story results: ${twelve.bytes} B for 12 conditions, ${six.bytes} B for 6`);
    // No faster than linear: a condition costs no more bytes at 12 conditions than at 6 (fixed costs only shrink per condition).
    expect(twelve.bytes / twelve.conditions).toBeLessThanOrEqual((six.bytes / six.conditions) * 1.05);
  }, 600_000);

  it('a third cycle is refused by F4 before anything sends the agent to fix and rebuild, and the second is named the last', async () => {
    const w = await storyWorld(['dice'], { fixWorks: false });
    try {
      await w.call('launch_factorial', { config_path: w.config, approve: true });
      await w.call('wait_for_change', { experiment: 'seg', timeout_s: 5, interval_s: 1 });
      for (const cycle of [1, 2]) {
        await w.untilTerminal();
        const agg = await w.call('aggregate_failures', { experiment: 'seg' });
        expect(agg.structuredContent).toMatchObject({ relaunch_cycles: { next_cycle: cycle, last_allowed: cycle === 2 } });
        if (cycle === 2) expect(text(agg)).toMatch(/the last allowed cycle/);
        await w.git('commit', '-q', '--allow-empty', '-m', `fix attempt ${cycle}`);
        expect((await w.call('rebuild_and_verify_digest', { experiment: 'seg' })).structuredContent).toMatchObject({ verified: true });
        const r = await w.call('relaunch_failed', { experiment: 'seg' });
        expect(r.structuredContent).toMatchObject({ batch: cycle });
      }
      await w.untilTerminal();
      const agg = await w.call('aggregate_failures', { experiment: 'seg' });
      expect(text(agg)).toMatch(/no relaunch cycle is left/);
      // Nothing was changed: F3 would refuse too, but F4 is final and comes first.
      const third = await w.call('relaunch_failed', { experiment: 'seg' });
      expectRefusal(third, 'F4 MAX-TWO-CYCLES', /^generate_report\(experiment="seg"\)/);
      const poor = await w.call('relaunch_failed', { experiment: 'seg', authorize: { max_cycles: 3, budget_usd: 1, reason: 'user: one more, $1' } });
      expectRefusal(poor, 'BUDGET', /^generate_report/);
      const m = w.manifest();
      expect(m.cycle_authorizations).toEqual([]);
      expect(m.budget_usd).toBe(400);
    } finally {
      await w.close();
    }
  }, 600_000);
});
