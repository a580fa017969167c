// JSON Schemas of skyloop's files, generated from the zod schemas that validate them (never hand-kept).
// `npm run schemas` writes them to templates/; a test fails when the committed copies drift.
import { z } from 'zod';
import { EventSchema } from '../factorial/events.js';
import { ExperimentConfigSchema } from '../factorial/experiment-config.js';
import { ManifestSchema } from '../factorial/manifest.js';
const toJson = (schema, title, io) => JSON.stringify({ title, ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }) }, null, 2) + '\n';
/** File name under templates/ → its content. */
export function jsonSchemaFiles() {
    return {
        // What a user writes: defaults are optional there.
        'experiment.schema.json': toJson(ExperimentConfigSchema, 'skyloop experiment config', 'input'),
        'factorial-manifest.schema.json': toJson(ManifestSchema, 'skyloop factorial manifest', 'output'),
        'factorial-events.schema.json': toJson(EventSchema, 'skyloop factorial event (one JSONL line)', 'output'),
    };
}
