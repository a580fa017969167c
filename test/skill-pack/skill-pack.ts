// Shared helpers for the skill-pack checks: which Markdown files belong to the pack, a front-matter parser
// that can never run code, and the Markdown pieces (links, headings, code) the checks look at.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import { REPO, SKYLOOP } from '../helpers/paths.js';

/** Folders whose Markdown is the skill pack (plus the Claude Code pointers). */
export const PACK_DIRS = ['skills', 'protocols', 'instructions', 'eval', '.claude/skills'];
export const SKILLS = ['factorial-monitor', 'ralph-loop'] as const;

export function markdownFiles(dirs: string[] = PACK_DIRS): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push(path);
    }
  };
  for (const d of dirs) if (existsSync(join(REPO, d))) walk(join(REPO, d));
  return out;
}

export const rel = (path: string): string => relative(REPO, path);

const deny = (): never => {
  throw new Error('executable front matter (---js / ---javascript) is not allowed');
};

/**
 * gray-matter with its JavaScript engine disabled. gray-matter looks engines up by name and then by alias,
 * so `js: false` would fall through to `javascript`: both must be replaced by a function that throws.
 */
export function parseFrontMatter(src: string): { data: Record<string, unknown>; content: string } {
  const parsed = matter(src, {
    engines: {
      yaml: { parse: (s: string) => (YAML.parse(s, { prettyErrors: true }) ?? {}) as object, stringify: (o: object) => YAML.stringify(o) },
      js: deny,
      javascript: deny,
      coffee: deny,
      coffeescript: deny,
      cson: deny,
    },
  });
  return { data: parsed.data as Record<string, unknown>, content: parsed.content };
}

/** Text outside fenced code blocks and inline code, where links live. */
function proseOnly(md: string): string {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every `[text](target)` link outside code. */
export function links(md: string): string[] {
  return [...proseOnly(md).matchAll(/\[[^\]\n]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string);
}

/** GitHub's heading anchors (lowercase, punctuation dropped, spaces to hyphens, duplicates numbered). */
export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of proseOnlyHeadings(md)) {
    const base = m
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function proseOnlyHeadings(md: string): string[] {
  const noFences = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  return [...noFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => m[1] as string);
}

/** Inline code spans and fenced code blocks: where tool names and commands are written. */
export function codeSnippets(md: string): string[] {
  const fences = [...md.matchAll(/^(```|~~~)[^\n]*\n([\s\S]*?)^\1[^\n]*$/gm)].map((m) => m[2] as string);
  const noFences = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const inline = [...noFences.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);
  return [...fences, ...inline];
}

export const readRepo = (path: string): string => readFileSync(join(REPO, path), 'utf8');

/** `skyloop <args…> --help`: exit code and output (help goes to stdout; errors to stderr). */
export function cliHelp(args: string[]): { code: number; text: string } {
  try {
    const text = execFileSync(process.execPath, [SKYLOOP, ...args, '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    return { code: 0, text };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, text: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}
