// The secret formats (instructions/secret-formats.yaml): data, loaded and checked once per process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../util/package-root.js';

export const SecretFormatSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  source: z.string().min(1),
  pattern: z.string().min(1),
  flags: z.string().regex(/^[imsu]*$/).optional(),
  keep: z.number().int().min(1).optional(),
  replace_suffix: z.string().optional(),
  example: z.string().min(1),
});
export type SecretFormat = z.infer<typeof SecretFormatSchema>;

export interface CompiledFormat extends SecretFormat {
  regex: RegExp;
}

export const SECRET_FORMATS_FILE = (): string => join(packageRoot(), 'instructions', 'secret-formats.yaml');

let cached: CompiledFormat[] | undefined;

export function secretFormats(): CompiledFormat[] {
  if (cached) return cached;
  const file = SECRET_FORMATS_FILE();
  const { formats } = z.strictObject({ formats: z.array(SecretFormatSchema).min(1) }).parse(parse(readFileSync(file, 'utf8')));
  return (cached = formats.map((f) => ({ ...f, regex: new RegExp(f.pattern, `g${f.flags ?? ''}`) })));
}
