// The two halves must not drift: every MCP tool, resource and `skyloop` command (with its flags) that the
// skills and protocols name exists in the BUILT server and CLI, and every tool the server offers is
// documented in the skills or protocols.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKYLOOP_MCP, tempDir } from '../helpers/paths.js';
import { cliHelp, codeSnippets, markdownFiles, rel } from './skill-pack.js';

const DOC_DIRS = ['skills', 'protocols', 'instructions'];

interface Mention { file: string; text: string }

function snippets(dirs: string[]): Mention[] {
  return markdownFiles(dirs).flatMap((f) => codeSnippets(readFileSync(f, 'utf8')).map((text) => ({ file: rel(f), text })));
}

/** `tool_name(` anywhere in code, `mcp__…__tool_name`, and every snake_case span in a "| MCP tool" table row. */
function toolMentions(dirs: string[]): Mention[] {
  const out: Mention[] = [];
  for (const { file, text } of snippets(dirs)) {
    for (const m of text.matchAll(/\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\(/g)) out.push({ file, text: m[1] as string });
    for (const m of text.matchAll(/mcp__(?:plugin_skyloop_)?skyloop__([a-z][a-z0-9_]*)/g)) out.push({ file, text: m[1] as string });
  }
  for (const f of markdownFiles(dirs)) {
    for (const row of readFileSync(f, 'utf8').split('\n').filter((l) => /^\|\s*MCP tools?\s*\|/.test(l))) {
      for (const m of row.matchAll(/`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?:\([^`]*\))?`/g)) out.push({ file: rel(f), text: m[1] as string });
    }
  }
  return out;
}

/** `skyloop <command> [<subcommand>] … --flags`, from code only (prose says "skyloop" as a name). */
function cliMentions(dirs: string[]): { file: string; words: string[]; flags: string[] }[] {
  const out: { file: string; words: string[]; flags: string[] }[] = [];
  for (const { file, text } of snippets(dirs)) {
    for (const m of text.matchAll(/(?<![\w-])skyloop((?: +[a-z][a-z-]*){1,2})/g)) {
      const rest = text.slice(m.index).split(/[;|\n]|&&/)[0] as string;
      out.push({ file, words: (m[1] as string).trim().split(/ +/), flags: [...rest.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((f) => f[1] as string) });
    }
  }
  return out;
}

describe('skills and protocols against the built MCP server', () => {
  let client: Client;
  let tools: string[] = [];
  let resourceKinds: string[] = [];

  beforeAll(async () => {
    client = new Client({ name: 'skill-pack-drift', version: '0' });
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === 'string'));
    await client.connect(new StdioClientTransport({
      command: process.execPath,
      args: [SKYLOOP_MCP],
      env: { ...env, SKYLOOP_OUTPUTS_DIR: tempDir('drift-out'), SKYLOOP_SKY_BIN: '/nonexistent/sky' },
      stderr: 'pipe',
    }));
    tools = (await client.listTools()).tools.map((t) => t.name);
    resourceKinds = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate.split('/').at(-1) as string);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists the tools the skills are written for', () => {
    expect(tools.length).toBeGreaterThanOrEqual(12);
  });

  it('every tool the skills and protocols name exists', () => {
    const mentions = toolMentions(['skills', 'protocols']);
    expect(mentions.length).toBeGreaterThan(20);
    const unknown = mentions.filter((m) => !tools.includes(m.text)).map((m) => `${m.file}: ${m.text}`);
    expect(unknown).toEqual([]);
  });

  it('every tool of the server is documented in the skills or protocols', () => {
    const code = snippets(['skills', 'protocols']).map((s) => s.text).join('\n');
    const undocumented = tools.filter((t) => !new RegExp(`\\b${t}\\b`).test(code));
    expect(undocumented).toEqual([]);
  });

  it('every skyloop:// resource the docs name is served', () => {
    const kinds = snippets(DOC_DIRS).flatMap((s) => [...s.text.matchAll(/skyloop:\/\/experiments\/[^/\s`]+\/([a-z]+)/g)].map((m) => m[1] as string));
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.filter((k) => !resourceKinds.includes(k))).toEqual([]);
  });
});

describe('skills and protocols against the built CLI', () => {
  const top = cliHelp([]);
  const helps = new Map<string, { code: number; text: string }>();
  const help = (cmd: string) => {
    if (!helps.has(cmd)) helps.set(cmd, cliHelp([cmd]));
    return helps.get(cmd) as { code: number; text: string };
  };
  const mentions = cliMentions(DOC_DIRS);

  it('finds the commands the docs use', () => {
    expect(top.code).toBe(0);
    expect(mentions.length).toBeGreaterThan(20);
  });

  it('every `skyloop <command>` exists and its --help exits 0', () => {
    const commands = [...new Set(mentions.map((m) => m.words[0] as string))];
    const listed = [...top.text.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1] as string);
    expect(commands.filter((c) => !listed.includes(c))).toEqual([]);
    expect(commands.filter((c) => help(c).code !== 0)).toEqual([]);
  });

  it('every `skyloop factorial|ralph <subcommand>` exists', () => {
    const bad = mentions
      .filter((m) => ['factorial', 'ralph'].includes(m.words[0] as string) && m.words[1] !== undefined)
      .filter((m) => !help(m.words[0] as string).text.includes(`skyloop ${m.words[0]} ${m.words[1]} `))
      .map((m) => `${m.file}: skyloop ${m.words.join(' ')}`);
    expect(bad).toEqual([]);
  });

  it('every flag written after a skyloop command is one that command takes', () => {
    const bad = mentions.flatMap((m) => {
      const cmd = m.words[0] as string;
      // `ralph run` also takes the pre-flight options.
      const text = help(cmd).text + (cmd === 'ralph' ? help('preflight').text : '');
      return m.flags.filter((f) => f !== '--help' && !text.includes(f)).map((f) => `${m.file}: skyloop ${m.words.join(' ')} ${f}`);
    });
    expect(bad).toEqual([]);
  });
});
