// A plugin install runs no build step (Claude Code installs dependencies with --ignore-scripts), so the
// committed dist/ is what users run. After `npm test` rebuilt it, it must equal what is committed.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/paths.js';

const git = (...args: string[]) => execa('git', args, { cwd: REPO, reject: false });

describe('the committed dist/', () => {
  it('is what the committed sources build to (run npm run build and commit dist/)', async (ctx) => {
    if ((await git('rev-parse', '--git-dir')).exitCode !== 0) ctx.skip();
    // While sources have uncommitted changes, dist cannot match a commit yet; CI always starts clean.
    if ((await git('diff', '--quiet', 'HEAD', '--', 'mcp-server/src', 'tsconfig.json')).exitCode !== 0) ctx.skip();
    const stale = await git('status', '--porcelain', '--', 'dist');
    expect(stale.stdout, 'dist/ differs from the build of the committed sources').toBe('');
  });
});
