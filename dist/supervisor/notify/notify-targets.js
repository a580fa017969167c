// Who to tell, as an experiment config's `notify:` says it. ralph-loop reads the same list from any YAML
// file with a `notify:` key (an experiment config works as is), so one night's notifications go one way.
import { z } from 'zod';
import { readYamlFile } from '../../util/yaml-file.js';
export const NotifyTargetsSchema = z
    .array(z.union([
    z.strictObject({
        webhook: z.url({ protocol: /^https?$/ }).describe('POSTed to with each event'),
        format: z.enum(['slack', 'json']).default('json').describe('slack: {"text": …}; json: the event, experiment, counts, cost, report path'),
        events: z.array(z.string()).optional().describe('Only these event types (default: all notifiable ones)'),
    }),
    z.strictObject({
        command: z.array(z.string().min(1)).min(1).describe('argv of a trusted command; the event JSON arrives on stdin'),
        events: z.array(z.string()).optional(),
    }),
]))
    .default([])
    .describe('Who to tell: HTTP webhooks and/or trusted commands. Delivered once per event, bounded, secrets redacted.');
/** The `notify:` list of a YAML file; its other keys (an experiment config's) are not read here. */
export function readNotifyTargets(path) {
    return readYamlFile(path, z.looseObject({ notify: NotifyTargetsSchema })).notify;
}
