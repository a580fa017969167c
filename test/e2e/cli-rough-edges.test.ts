// What a person hits first with the CLI: config mistakes at the right line with a useful message, usage
// errors that point at the subcommand's --help, JSON on stdout for every --json error, and analyze-logs
// refusing what is not a log.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SKYLOOP, tempDir } from '../helpers/paths.js';
import { TASK_YAML } from '../helpers/factorial-fixture.js';
import { ExperimentStore } from '../../mcp-server/src/store/experiment-store.js';
import { fullStory, STORY } from '../report/report-fixture.js';

const dir = tempDir('cli-edges');
writeFileSync(join(dir, 'task.yaml'), TASK_YAML);
const COST = 'cost: {hourly_rate_usd: 1, expected_hours: 1, budget_usd: 100}\n';
const run = (args: string[]) =>
  execa(SKYLOOP, args, { cwd: dir, reject: false, stdin: 'ignore', env: { SKYLOOP_OUTPUTS_DIR: join(dir, 'outputs'), SKYLOOP_SKY_BIN: '/nonexistent/sky' } });
const config = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('skyloop CLI: the rough edges', () => {
  it('config errors name the line where the mistake is, and say what was meant', async () => {
    const typo = await run(['factorial', 'launch', config('typo.yaml', `experiment: e\nkill_swich: {}\nfactors: {model: [a, b]}\ntask: task.yaml\n${COST}`)]);
    expect(typo.stderr).toBe(`skyloop: ${join(dir, 'typo.yaml')}:2: kill_swich: unknown key: did you mean 'kill_switch'?`);
    const syntax = await run(['factorial', 'launch', config('syntax.yaml', `experiment: e\nfactors: {model: [a, b]}\ntask: task.yaml\n${COST}monitor:\n  poll_interval_s: [1\n\nkill_switch: {}\n`)]);
    expect(syntax.stderr).toMatch(new RegExp(`^skyloop: ${join(dir, 'syntax.yaml')}:6: this '\\[' is never closed`));
    const twice = await run(['factorial', 'launch', config('twice.yaml', `experiment: e\nfactors:\n  model: [a, a]\ntask: task.yaml\n${COST}`)]);
    expect(twice.stderr).toBe(`skyloop: ${join(dir, 'twice.yaml')}:3: factors.model: level 'a' is listed twice`);
    const noTask = await run(['factorial', 'launch', config('notask.yaml', `experiment: e\nfactors: {model: [a]}\ntask: nope.yaml\n${COST}`)]);
    expect(noTask.stderr).toMatch(/notask\.yaml:3: task: the task file .*nope\.yaml does not exist/);
    for (const r of [typo, syntax, twice, noTask]) expect(r.exitCode).toBe(1);
    // A missing sky is a message, not a stack trace.
    const noSky = await run(['factorial', 'launch', config('ok.yaml', `experiment: e\nfactors: {model: [a]}\ntask: task.yaml\n${COST}`)]);
    expect(noSky.stderr).toMatch(/^skyloop: cannot run `\/nonexistent\/sky` \(not found\)/);
    expect(noSky.stderr).not.toMatch(/\n\s+at /);
  });

  it('--json prints the error as JSON on stdout, with schema_version', async () => {
    const r = await run(['factorial', 'launch', join(dir, 'typo.yaml'), '--json']);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ schema_version: 1, error: { kind: 'error', rule: null, reason: expect.stringMatching(/did you mean 'kill_switch'/), next: null } });
    const usage = await run(['factorial', 'status', '--json']);
    expect(usage.exitCode).toBe(2);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ kind: 'usage', next: { cli: 'skyloop factorial --help' } });
  });

  it('a usage error names the subcommand help', async () => {
    const r = await run(['factorial', 'launch', '--bogus']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Run 'skyloop factorial --help' for usage\.$/m);
    expect((await run(['analyze-logs'])).stderr).toMatch(/Run 'skyloop analyze-logs --help' for usage\./);
  });

  it('analyze-logs says so for an empty or binary file and an unknown --status', async () => {
    writeFileSync(join(dir, 'empty.log'), '');
    writeFileSync(join(dir, 'binary.log'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0]));
    writeFileSync(join(dir, 'oom.log'), 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n');
    const empty = await run(['analyze-logs', 'empty.log']);
    expect([empty.exitCode, empty.stderr]).toEqual([1, 'skyloop: empty.log: empty, no log text to diagnose']);
    const binary = await run(['analyze-logs', 'binary.log']);
    expect(binary.exitCode).toBe(1);
    expect(binary.stderr).toMatch(/binary\.log: a binary file, not a log/);
    const status = await run(['analyze-logs', 'oom.log', '--status', 'FAILD']);
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toMatch(/--status takes the status the job ended in \(SUCCEEDED, .*\), got 'FAILD'/);
    const json = await run(['analyze-logs', 'oom.log', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ schema_version: 1, category: 'OOM_CUDA' });
  });

  it('status without --refresh says how old its statuses are; RAN and COST are both totals over the attempts', async () => {
    const polled = fullStory('aged');
    polled.last_poll_at = '2025-06-01T09:00:00.000Z';
    await new ExperimentStore(join(dir, 'outputs'), 'aged').create(polled, []);
    await new ExperimentStore(join(dir, 'outputs'), 'fresh').create({ ...fullStory('fresh'), last_poll_at: null }, []);

    const human = await run(['factorial', 'status', 'aged', '--all']);
    expect(human.stdout).toMatch(/statuses as of the last poll, \d+d[ \dhms]* ago \(2025-06-01T09:00:00\.000Z\); --refresh polls sky now/);
    expect((await run(['factorial', 'status', 'fresh'])).stdout).toContain('statuses: never polled yet (--refresh polls sky now)');
    const before = Date.now();
    const json = JSON.parse((await run(['factorial', 'status', 'aged', '--all', '--json'])).stdout);
    const after = Date.now();
    expect(json.statuses_as_of).toBe('2025-06-01T09:00:00.000Z');
    const polledAt = Date.parse('2025-06-01T09:00:00.000Z');
    expect(json.statuses_age_s).toBeGreaterThanOrEqual(Math.floor((before - polledAt) / 1000));
    expect(json.statuses_age_s).toBeLessThanOrEqual(Math.ceil((after - polledAt) / 1000));
    expect(JSON.parse((await run(['factorial', 'status', 'fresh', '--json'])).stdout)).toMatchObject({ statuses_as_of: null, statuses_age_s: null });

    // Both columns are labelled as totals, and agree: the cost is what the time run costs at the hourly rate.
    expect(human.stdout).toMatch(/RAN \(ALL ATTEMPTS\) +COST \(ALL ATTEMPTS\)/);
    for (const row of json.grid as { condition: string; attempts: number; ran_s: number; cost_usd: number }[]) {
      const attempts = polled.jobs.find((j) => j.condition === row.condition)!.attempts;
      expect(row.ran_s, row.condition).toBe(attempts.reduce((t, a) => t + a.duration_seconds!, 0));
      expect(row.cost_usd, row.condition).toBeCloseTo((row.ran_s / 3600) * polled.hourly_rate_usd, 1);
    }
    // The condition that failed three times: 6 + 7 + 7 minutes, $0.40 — not its last attempt's 7 minutes.
    const stubborn = human.stdout.split('\n').find((l) => l.startsWith(STORY.stubborn))!;
    expect(stubborn.split(/ {2,}/)).toEqual([STORY.stubborn, expect.any(String), '2', 'FAILED', '3', '20m', '$0.40', 'OOM_CUDA']);
  });
});
