#!/usr/bin/env node
// Regenerates templates/*.schema.json from the compiled zod schemas (run through `npm run schemas`).
import { writeFileSync } from 'node:fs';
import { jsonSchemaFiles } from '../dist/schemas/json-schemas.js';

for (const [name, content] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(new URL(`../templates/${name}`, import.meta.url), content);
  console.log(`templates/${name}`);
}
