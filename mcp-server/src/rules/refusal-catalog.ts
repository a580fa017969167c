// The refusal catalog (instructions/refusals.yaml): for every refusal the tools make, its rule and the next
// call an agent (MCP) or a person (CLI) should make. Data, so the docs' claims are checked against it.
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../util/package-root.js';
import { readYamlFile } from '../util/yaml-file.js';

const RefusalEntrySchema = z.strictObject({
  id: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  rule: z.string().min(1),
  refused_by: z.array(z.string().regex(/^[a-z_]+$/)).min(1),
  kill_switch_lets_through: z.array(z.string()).default([]),
  when: z.string().min(1),
  next: z.strictObject({ mcp: z.string().min(1), cli: z.string().min(1) }),
});
export type RefusalEntry = z.infer<typeof RefusalEntrySchema>;

export const RefusalCatalogSchema = z.strictObject({
  schema_version: z.literal(1),
  refusals: z.array(RefusalEntrySchema).min(1),
});

let cached: Map<string, RefusalEntry> | undefined;

export function loadRefusalCatalog(file = join(packageRoot(), 'instructions', 'refusals.yaml')): Map<string, RefusalEntry> {
  return new Map(readYamlFile(file, RefusalCatalogSchema).refusals.map((r) => [r.id, r]));
}

export function refusalEntry(id: string): RefusalEntry {
  const entry = (cached ??= loadRefusalCatalog()).get(id);
  if (!entry) throw new Error(`refusal '${id}' is not in instructions/refusals.yaml`);
  return entry;
}

/** The next step of a refusal, with the experiment id and config path filled in. */
export function nextStep(id: string, vars: { experiment?: string; config?: string }): { mcp: string; cli: string } {
  const fill = (s: string) => s.replaceAll('{experiment}', vars.experiment ?? '<experiment>').replaceAll('{config}', vars.config ?? '<config.yaml>');
  const { next } = refusalEntry(id);
  return { mcp: fill(next.mcp), cli: fill(next.cli) };
}
