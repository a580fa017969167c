// A small experiment in its own git repository, driven to "every job terminal" on the simulator:
// model=ok succeeds, model=oom runs out of GPU memory unless it runs a rebuilt (digest-pinned) image.
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { SKYLOOP, SKYLOOP_MCP, MCP_CALL_LIMIT_MS } from './paths.js';
import { factorialWorld } from './factorial-fixture.js';

export async function relaunchWorld({ image = 'docker:ghcr.io/example/seg-train:v1', commands = '' } = {}) {
  const w = factorialWorld();
  writeFileSync(join(w.dir, 'scenario.yaml'), `defaults: {duration: 20m}
rules:
  - match: {env: {MODEL: oom}, image: "*@sha256:*"}
    outcome: succeed
  - match: {env: {MODEL: oom}}
    outcome: fail
    category: OOM_CUDA
    at_minute: 5
`);
  writeFileSync(w.config, `experiment: seg
factors: {model: [ok, oom], fold: [0, 1, 2]}
task: task.yaml
image: ${image}
cost: {hourly_rate_usd: 2, expected_hours: 1, budget_usd: 40}
${commands}`);
  const git = (...args: string[]) => execa('git', args, { cwd: w.dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  await git('init', '-q');
  writeFileSync(join(w.dir, '.gitignore'), 'outputs/\nscenario.yaml\n');
  writeFileSync(join(w.dir, 'train.py'), 'batch_size = 64\n');
  await git('add', '-A');
  await git('commit', '-qm', 'experiment');
  const skyloop = (args: string[]) => execa(SKYLOOP, args, { env: w.env, reject: false, stdin: 'ignore' });
  return {
    ...w,
    git,
    skyloop,
    /** Launch, let every job end, and poll once. */
    async runBatch(): Promise<void> {
      await w.advance(24 * 3600);
      const r = await skyloop(['factorial', 'status', 'seg', '--refresh']);
      if (r.exitCode !== 0) throw new Error(r.stderr);
    },
    async commitFix(): Promise<void> {
      writeFileSync(join(w.dir, 'train.py'), 'batch_size = 32\n');
      await git('commit', '-qam', 'halve the batch size');
    },
    async mcp() {
      const client = new Client({ name: 'relaunch-test', version: '0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [SKYLOOP_MCP], env: w.env, cwd: w.dir, stderr: 'pipe' }));
      return {
        call: (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: MCP_CALL_LIMIT_MS }),
        close: () => client.close(),
      };
    },
  };
}
