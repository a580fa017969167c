// skyloop as a Claude Code plugin and marketplace: the manifests agree with the project (name, version, the
// same MCP server as .mcp.json, started from the plugin root), and `claude plugin validate --strict` accepts
// both manifests and the skills when the Claude Code CLI is available.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers/paths.js';

const json = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as Record<string, unknown>;
const INSTALL = 'npm install --prefix /tmp/claude-cli @anthropic-ai/claude-code';

/** $SKYLOOP_CLAUDE_BIN, else `claude` on PATH, else where INSTALL puts it. */
function claudeBin(): string | null {
  const candidates = [
    process.env.SKYLOOP_CLAUDE_BIN,
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'claude')),
    '/tmp/claude-cli/node_modules/.bin/claude',
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '' && existsSync(c)) ?? null;
}

describe('plugin and marketplace manifests', () => {
  const plugin = json('.claude-plugin/plugin.json');
  const market = json('.claude-plugin/marketplace.json');
  const pkg = json('package.json');

  it('name the plugin skyloop at the package version, with the project MCP server started from the plugin root', () => {
    expect(plugin.name).toBe('skyloop');
    expect(plugin.version).toBe(pkg.version);
    const servers = plugin.mcpServers as Record<string, { command: string; args: string[] }>;
    const project = (json('.mcp.json').mcpServers as Record<string, { command: string; args: string[] }>);
    expect(Object.keys(servers)).toEqual(Object.keys(project));
    expect(servers.skyloop?.command).toBe('node');
    expect(servers.skyloop?.args).toEqual(project.skyloop?.args.map((a) => '${CLAUDE_PLUGIN_ROOT}/' + a));
  });

  it('list the plugin in the marketplace from the repository root', () => {
    const plugins = market.plugins as { name: string; source: string }[];
    expect(plugins).toEqual([expect.objectContaining({ name: 'skyloop', source: './' })]);
    expect(market.name).not.toMatch(/^(claude-code-marketplace|claude-code-plugins|claude-plugins-official|anthropic-marketplace|anthropic-plugins|agent-skills|anthropic-agent-skills)$/);
  });

  it('ship what the plugin runs: an install runs no build step, so dist/ must be in the package', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist', 'skills', 'protocols', 'instructions', 'eval', 'templates']));
    expect(existsSync(join(REPO, 'dist', 'mcp', 'main.js'))).toBe(true);
  });

  const bin = claudeBin();
  it.skipIf(bin === null)(`claude plugin validate --strict accepts the marketplace, the plugin and its skills (skipped without the CLI: ${INSTALL})`, () => {
    for (const target of ['.', '.claude-plugin/plugin.json']) {
      const out = execFileSync(bin as string, ['plugin', 'validate', '--strict', target], {
        cwd: REPO, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: tempDir('claude-home'), DISABLE_AUTOUPDATER: '1' },
      });
      expect(out).toMatch(/Validation passed/);
    }
  });
});
