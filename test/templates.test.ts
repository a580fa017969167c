import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandConditions } from '../mcp-server/src/factorial/conditions.js';
import { ExperimentConfigSchema } from '../mcp-server/src/factorial/experiment-config.js';
import { readTaskFile } from '../mcp-server/src/factorial/task-file.js';
import { jsonSchemaFiles } from '../mcp-server/src/schemas/json-schemas.js';
import { readYamlFile } from '../mcp-server/src/util/yaml-file.js';

const template = (name: string) => new URL(`../templates/${name}`, import.meta.url).pathname;

describe('templates/', () => {
  it('holds JSON Schemas identical to what the zod schemas generate (run `npm run schemas` after changing them)', () => {
    for (const [name, content] of Object.entries(jsonSchemaFiles())) {
      expect(readFileSync(template(name), 'utf8'), `templates/${name} is stale`).toBe(content);
    }
  });

  it('ships an example experiment that validates, expands to 24 conditions and runs in a docker image', () => {
    const cfg = readYamlFile(template('experiment.example.yaml'), ExperimentConfigSchema);
    expect(expandConditions(cfg)).toHaveLength(24);
    expect(readTaskFile(template(cfg.task)).image).toMatch(/^docker:/);
  });
});
