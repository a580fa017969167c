// instructions/refusals.yaml is what the tools refuse and what they say to do next. The docs must not claim
// more (or other) refusals than it holds, the code must make every refusal it lists, and rules.md's refusal
// table is the catalog, row for row.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRefusalCatalog } from '../../mcp-server/src/rules/refusal-catalog.js';
import { REPO } from '../helpers/paths.js';
import { markdownFiles, readRepo, rel } from './skill-pack.js';

const catalog = [...loadRefusalCatalog().values()];
const TOOLS = readdirSync(join(REPO, 'mcp-server/src/mcp/tools'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, '').replaceAll('-', '_'));
const RULES = [...new Set(catalog.map((r) => r.rule))];

/** Sentences of a Markdown file (code fences dropped, paragraphs and list items joined, table rows alone). */
function sentences(md: string): string[] {
  const text = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const blocks = text.split(/\n(?=\s*\n|\s*[-*] |\s*\d+\. |\s*\||#)/);
  return blocks.flatMap((b) => (b.trim().startsWith('|') ? b.trim().split('\n') : b.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+(?=[A-Z`*(])/)));
}

interface Claim { sentence: string; tool: string; rules: string[] }

/** "`tool` refuses … RULE …": a tool named before a form of "refuse", and the rules the sentence names. */
export function refusalClaims(sentence: string): Claim[] {
  const at = sentence.search(/\brefus(e|es|ed|ing)\b/);
  if (at < 0) return [];
  const rules = RULES.filter((r) => sentence.includes(r));
  if (rules.length === 0) return [];
  return TOOLS.filter((t) => {
    const i = sentence.search(new RegExp(`\\b${t}\\b`));
    return i >= 0 && i < at;
  }).map((tool) => ({ sentence, tool, rules }));
}

/** "… lets `a` and `b` through …": the tools a sentence says get past F1 once the kill switch fired. */
export function killSwitchPasses(sentence: string): string[] {
  if (!/kill switch/i.test(sentence)) return [];
  const spans = [...sentence.matchAll(/\blets? (.+?) through\b/g), ...sentence.matchAll(/\b(\S+)` may start\b/g)].map((m) => m[1] as string);
  return TOOLS.filter((t) => spans.some((s) => new RegExp(`\\b${t}\\b`).test(s)));
}

const docs = markdownFiles(['skills', 'protocols', 'instructions']).map((f) => ({ file: rel(f), sentences: sentences(readFileSync(f, 'utf8')) }));

describe('refusal claims (instructions/refusals.yaml)', () => {
  it('every sentence that says a tool refuses with a rule matches a refusal the catalog holds', () => {
    const claims = docs.flatMap((d) => d.sentences.flatMap((s) => refusalClaims(s).map((c) => ({ ...c, file: d.file }))));
    expect(claims.length).toBeGreaterThanOrEqual(5);
    const unknown = claims.flatMap((c) =>
      c.rules.filter((rule) => !catalog.some((r) => r.rule === rule && r.refused_by.includes(c.tool))).map((rule) => `${c.file}: ${c.tool} / ${rule}: "${c.sentence}"`),
    );
    expect(unknown).toEqual([]);
  });

  it('only the tools the catalog lets through after the kill switch are said to get through', () => {
    const allowed = catalog.find((r) => r.id === 'F1_RUNNING')!.kill_switch_lets_through;
    const passes = docs.flatMap((d) => d.sentences.flatMap((s) => killSwitchPasses(s).map((tool) => ({ tool, where: `${d.file}: "${s}"` }))));
    expect(passes.length).toBeGreaterThanOrEqual(2);
    expect(passes.filter((p) => !allowed.includes(p.tool)).map((p) => `${p.tool} in ${p.where}`)).toEqual([]);
  });

  it('catches the contradictions it is there for', () => {
    // rules.md once said this, while the code made relaunch_failed wait for every job.
    const old = 'once the kill switch has fired in the current batch, F1 lets `aggregate_failures` and `relaunch_failed` through.';
    expect(killSwitchPasses(old)).toEqual(['aggregate_failures', 'relaunch_failed']);
    expect(refusalClaims('`generate_report` refuses with `F4 MAX-TWO-CYCLES` after two cycles.')).toEqual([
      { sentence: '`generate_report` refuses with `F4 MAX-TWO-CYCLES` after two cycles.', tool: 'generate_report', rules: ['F4 MAX-TWO-CYCLES'] },
    ]);
    expect(catalog.some((r) => r.rule === 'F4 MAX-TWO-CYCLES' && r.refused_by.includes('generate_report'))).toBe(false);
  });

  it('rules.md lists the catalog row for row', () => {
    const rows = readRepo('instructions/rules.md')
      .split('\n')
      .filter((l) => /^\|\s*`[A-Z][A-Z0-9_]*`\s*\|/.test(l))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    const untick = (s: string) => s.replace(/`/g, '');
    expect(rows.map(([id, rule, by, when, mcp, cli]) => ({ id: untick(id!), rule, by: untick(by!).split(', '), when, mcp, cli: untick(cli!) }))).toEqual(
      catalog.map((r) => ({ id: r.id, rule: r.rule, by: r.refused_by, when: r.when, mcp: r.next.mcp, cli: r.next.cli })),
    );
  });

  it('the code makes every refusal of the catalog, and no other', () => {
    const src: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.ts')) src.push(readFileSync(join(dir, e.name), 'utf8'));
      }
    };
    walk(join(REPO, 'mcp-server/src'));
    const used = new Set(src.flatMap((s) => [...s.matchAll(/(?:refuse\(\s*|refusal: )'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] as string)));
    expect([...used].sort()).toEqual(catalog.map((r) => r.id).sort());
    for (const r of catalog) {
      for (const tool of r.refused_by) expect(TOOLS, `${r.id} names an unknown tool`).toContain(tool);
      expect(r.next.mcp, `${r.id}: the next step names an MCP tool`).toMatch(new RegExp(`\\b(${TOOLS.join('|')})\\b`));
    }
  });
});
