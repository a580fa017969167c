// The failure-pattern library: one machine-readable file (instructions/failure-patterns.yaml), the single
// source of truth for categories, detection, priority, fixability and fix advice. Data, not code: the
// engine that reads it is diagnosis/analyze-log.ts.
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../util/package-root.js';
import { readYamlFile } from '../util/yaml-file.js';

export const FIXABILITY = ['auto', 'config', 'code', 'unrecoverable', 'transient'] as const;
export type Fixability = (typeof FIXABILITY)[number];

/** Fixes the single-job loop may apply by itself, to a copy of the task (never to the user's files). */
export const AUTO_FIXES = ['rotate_region', 'raise_disk_size', 'halve_batch_size', 'switch_to_on_demand'] as const;
export type AutoFix = (typeof AUTO_FIXES)[number];

const Needle = z.strictObject({
  text: z.string().min(4).describe('Literal substring of one log line (no regex); at least 4 characters'),
  ignore_case: z.boolean().default(false),
  context: z
    .boolean()
    .default(false)
    .describe("SkyPilot's own framing line (printed for every failure of its kind): evidence only when nothing more specific matched, and then low confidence"),
  ambiguous: z
    .boolean()
    .default(false)
    .describe('The message reads the same for more than one cause (a moved and a private dataset, a missing and a private image): evidence for this category, but never high confidence'),
});

export const CategorySchema = z.strictObject({
  description: z.string().min(10),
  caused_by: z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/))
    .default([])
    .describe('Categories this one is usually a consequence of: when one of them appeared earlier in the log, it is the root cause'),
  aliases: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).default([]).describe('Older names accepted for this id'),
  priority: z.number().int().min(0).max(100).describe('Higher wins when several causes appear in one log'),
  fixability: z.enum(FIXABILITY),
  fix_strategy: z.string().min(10),
  auto_fix: z.enum(AUTO_FIXES).optional().describe('The safe fix the single-job loop applies by itself'),
  affected_files: z.array(z.string()).default([]),
  retry: z.string().min(5).describe('Retry advice: when a retry can help'),
  detect: z.strictObject({
    where: z.enum(['job', 'controller', 'either']).describe('Which log shows it'),
    statuses: z.array(z.string()).default([]).describe('SkyPilot statuses it comes with'),
    exit_codes: z.array(z.number().int()).default([]).describe('Program exit codes it comes with'),
    any: z.array(Needle).default([]).describe('A line containing any of these is evidence'),
    unless: z.array(z.string().min(3)).default([]).describe('…unless the line also contains one of these (benign look-alikes)'),
    fallback_for_statuses: z
      .array(z.string())
      .default([])
      .describe('When no line matched anything, a job ending in one of these statuses is put in this category'),
  }),
  sources: z.array(z.string()).default([]).describe('Where the detection strings come from'),
});

export const PatternLibrarySchema = z
  .strictObject({
    schema_version: z.literal(1),
    categories: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), CategorySchema),
    vocabulary: z
      .record(
        z.string().regex(/^[A-Z][A-Z0-9_]*$/),
        z.array(z.string().min(3).regex(/^\S.*\S$/).describe('A word or phrase (any letter case, whole words); "a + b" needs both in one line')).min(1),
      )
      .default({})
      .describe("General wording per category, read only when no needle of a specific category matched (diagnosis/vocabulary-fallback.ts); never high confidence"),
  })
  .superRefine((lib, ctx) => {
    const seen = new Map<string, string>();
    for (const [id, c] of Object.entries(lib.categories)) {
      for (const name of [id, ...c.aliases]) {
        const owner = seen.get(name);
        if (owner) ctx.addIssue({ code: 'custom', path: ['categories', id], message: `${name} is already used by ${owner}` });
        seen.set(name, id);
      }
    }
    for (const [id, c] of Object.entries(lib.categories)) {
      for (const cause of c.caused_by) {
        if (!lib.categories[cause]) ctx.addIssue({ code: 'custom', path: ['categories', id, 'caused_by'], message: `${cause} is not a category` });
      }
    }
    for (const [id, terms] of Object.entries(lib.vocabulary)) {
      // UNKNOWN and PYTHON_EXCEPTION are what the fallback replaces, not what it guesses.
      if (!lib.categories[id] || id === 'UNKNOWN' || id === 'PYTHON_EXCEPTION') ctx.addIssue({ code: 'custom', path: ['vocabulary', id], message: `${id} is not a category the vocabulary can name` });
      const seenTerms = new Set<string>();
      for (const t of terms) {
        const key = t.toLowerCase();
        if (seenTerms.has(key)) ctx.addIssue({ code: 'custom', path: ['vocabulary', id], message: `${t} is listed twice` });
        seenTerms.add(key);
        if (key.split(' + ').some((p) => p.trim().length < 2)) ctx.addIssue({ code: 'custom', path: ['vocabulary', id], message: `${t}: every part of "a + b" needs at least 2 characters` });
      }
    }
    for (const required of ['UNKNOWN', 'PYTHON_EXCEPTION']) {
      if (!lib.categories[required]) ctx.addIssue({ code: 'custom', path: ['categories'], message: `${required} is required` });
    }
  });

export type Category = z.infer<typeof CategorySchema> & { id: string };
export type PatternLibrary = {
  categories: Category[];
  byName: Map<string, Category>;
  /** The `vocabulary:` section, in file order: a category's general wording for the fallback. */
  vocabulary: { category: Category; terms: string[] }[];
};

export function loadPatternLibrary(file = join(packageRoot(), 'instructions', 'failure-patterns.yaml')): PatternLibrary {
  const raw = readYamlFile(file, PatternLibrarySchema);
  const categories = Object.entries(raw.categories).map(([id, c]) => ({ id, ...c }));
  const byName = new Map<string, Category>();
  for (const c of categories) for (const name of [c.id, ...c.aliases]) byName.set(name, c);
  const vocabulary = Object.entries(raw.vocabulary).map(([id, terms]) => ({ category: byName.get(id) as Category, terms }));
  return { categories, byName, vocabulary };
}
