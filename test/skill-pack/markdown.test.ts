// The Markdown half of skyloop: every file parses safely, SKILL.md files respect the skill limits of
// Claude Code and of skill uploads elsewhere, the Claude Code pointers match the skills, and every relative
// link (and heading anchor) resolves.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { anchors, links, markdownFiles, parseFrontMatter, readRepo, rel, SKILLS } from './skill-pack.js';

/** Keys accepted by skill uploads outside Claude Code (anything else is rejected there). */
const PORTABLE_KEYS = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'];
/** The one Claude-Code-only key we accept, and where: the single-job loop spends money on its own. */
const EXTRA_KEYS: Record<string, string[]> = { 'ralph-loop': ['disable-model-invocation'] };

describe('skill pack Markdown', () => {
  const files = markdownFiles();

  it('finds the pack', () => {
    expect(files.map(rel)).toEqual(expect.arrayContaining([
      'skills/factorial-monitor/SKILL.md', 'skills/ralph-loop/SKILL.md', 'instructions/rules.md', 'instructions/cost-tracking.md',
      'eval/README.md', ...['launch', 'monitor', 'diagnose', 'fix', 'relaunch', 'report'].map((p) => `protocols/factorial-monitor/${p}.md`),
      ...['preflight', 'loop', 'report'].map((p) => `protocols/ralph-loop/${p}.md`),
    ]));
  });

  it.each(files.map((f) => [rel(f), f]))('%s parses with gray-matter (no executable front matter)', (_name, file) => {
    expect(() => parseFrontMatter(readFileSync(file, 'utf8'))).not.toThrow();
  });

  it('refuses executable front matter instead of running it', () => {
    const evil = "---js\n{ x: require('node:fs').writeFileSync('/tmp/skyloop-pwned', 'x') }\n---\nbody\n";
    expect(() => parseFrontMatter(evil)).toThrow(/not allowed/);
    expect(() => parseFrontMatter(evil.replace('---js', '---javascript'))).toThrow(/not allowed/);
  });
});

describe.each(SKILLS)('skills/%s/SKILL.md', (skill) => {
  const src = readRepo(`skills/${skill}/SKILL.md`);
  const { data, content } = parseFrontMatter(src);

  it('has a name that is the folder name, lowercase with hyphens, at most 64 characters', () => {
    expect(data.name).toBe(skill);
    expect(String(data.name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(String(data.name).length).toBeLessThanOrEqual(64);
    expect(String(data.name)).not.toMatch(/anthropic|claude/);
  });

  it('has a description of at most 1024 characters, no angle brackets, saying when not to use it', () => {
    const d = String(data.description ?? '');
    expect(d.length).toBeGreaterThan(100);
    expect(d.length).toBeLessThanOrEqual(1024);
    expect(d).not.toMatch(/[<>]/);
    expect(d).toMatch(/\bUse when\b/);
    expect(d).toMatch(/\bNot for\b/);
  });

  it('keeps to the portable front-matter keys (plus the reviewed exceptions)', () => {
    const allowed = [...PORTABLE_KEYS, ...(EXTRA_KEYS[skill] ?? [])];
    expect(Object.keys(data).filter((k) => !allowed.includes(k))).toEqual([]);
  });

  it('has a body under 500 lines (aim: under 200)', () => {
    expect(content.split('\n').length).toBeLessThan(200);
  });

  it('links every protocol of the skill from its body', () => {
    const targets = links(content).map((l) => resolve(REPO, 'skills', skill, l.split('#')[0] as string));
    const protocols = markdownFiles([`protocols/${skill}`]);
    expect(protocols.length).toBeGreaterThan(0);
    for (const p of protocols) expect(targets, `${rel(p)} is not linked from the SKILL.md`).toContain(p);
  });

  it('has a Claude Code pointer in .claude/skills with the same front matter that sends the agent to it', () => {
    const pointer = parseFrontMatter(readRepo(`.claude/skills/${skill}/SKILL.md`));
    expect(pointer.data).toEqual(data);
    expect(links(pointer.content)).toContain(`../../../skills/${skill}/SKILL.md`);
  });
});

describe('relative links', () => {
  const files = markdownFiles([...new Set(['skills', 'protocols', 'instructions', 'eval', '.claude/skills'])]);

  it.each(files.map((f) => [rel(f), f]))('%s: every relative link and anchor resolves', (_name, file) => {
    const md = readFileSync(file, 'utf8');
    const broken: string[] = [];
    for (const link of links(md)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:, skyloop: …
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? file : resolve(dirname(file), path);
      if (!existsSync(target)) {
        broken.push(`${link} (no such file)`);
        continue;
      }
      if (anchor && statSync(target).isFile() && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${link} (no heading #${anchor} in ${rel(target)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('has only one place for protocols: the top-level folder', () => {
    for (const skill of ['factorial-monitor', 'ralph-loop']) expect(existsSync(join(REPO, 'skills', skill, 'protocols'))).toBe(false);
  });
});
