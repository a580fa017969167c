// The scenario file: ordered rules (first match wins) that decide each launched job's fate.
// Validated with zod; errors name the file and the line of the offending value.

import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { SimConfigError } from './errors.js';

import { parseDuration } from './duration.js';

export { parseDuration };

const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== undefined, { message: "expected a duration like '2h', '90m', '1h30m', '45s' or seconds" })
  .transform((v) => parseDuration(v) as number);

export const OUTCOMES = [
  'succeed',
  'fail',
  'fail_setup',
  'preempt',
  'stuck',
  'failed_precheck',
  'failed_no_resource',
  'failed_controller',
] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

const startup = z.union([
  duration,
  z.object({ pending: duration.optional(), starting: duration.optional() }).strict(),
]);

const outcomeFields = {
  duration: duration.optional(),
  at: duration.optional(),
  at_minute: z.number().nonnegative().optional(),
  category: z.string().min(1).optional(),
  exit_code: z.number().int().min(0).max(255).optional(),
  reason: z.string().optional(),
  times: z.number().int().min(1).optional(),
  every: duration.optional(),
  recovery: duration.optional(),
  then: z.enum(OUTCOMES).optional(),
  startup: startup.optional(),
  log_lines: z.number().int().min(0).optional(),
  tracking_url: z.string().optional(),
};

const ruleSchema = z
  .object({
    match: z
      .object({
        name: z.string().optional(),
        env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
        image: z.string().optional(),
        infra: z.string().optional().describe('glob on cloud/region, e.g. "aws/us-east-*"'),
        spot: z.boolean().optional(),
      })
      .strict()
      .optional(),
    outcome: z.enum(OUTCOMES),
    ...outcomeFields,
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.then === 'preempt') ctx.addIssue({ code: 'custom', path: ['then'], message: "'then' cannot be 'preempt'" });
  });

const curveSchema = z
  .object({
    start: z.number().describe('Value at the first step'),
    final: z.number().describe('Value a full run converges to, before effects'),
    noise: z.number().nonnegative().default(0.01).describe('Step-to-step jitter'),
    spread: z.number().nonnegative().default(0.02).describe('Per-job variation of the final value (folds, seeds)'),
  })
  .strict();

export const trackingScenarioSchema = z
  .object({
    metrics: z.record(z.string(), curveSchema),
    effects: z
      .array(z.object({ match: z.object({ env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)) }).strict(), shift: z.record(z.string(), z.number()) }).strict())
      .default([])
      .describe('Every entry whose env globs match adds its shift to the final values (all matching entries, not the first)'),
    steps: z.number().int().min(1).max(1000).default(20),
  })
  .strict();
export type TrackingScenario = z.infer<typeof trackingScenarioSchema>;
export const FAULT_MODES = ['api-unreachable', 'hang', 'garbage'] as const;
export const FAULT_COMMANDS = ['all', 'queue', 'logs', 'launch', 'cancel', 'check', 'gpus'] as const;

/** A scheduled SkyPilot fault: an API server outage, a hung call, garbage output. */
const faultSchema = z
  .object({
    command: z.enum(FAULT_COMMANDS).default('all'),
    mode: z.enum(FAULT_MODES),
    after: duration.default(0).describe('simulated time since the simulator world began (its first launch)'),
    for: duration.optional().describe('length of the window; default: from `after` on'),
    times: z.number().int().min(1).optional().describe('at most this many calls are hit'),
    controller: z.boolean().optional().describe('logs only: just `--controller` calls (true) or just job logs (false)'),
  })
  .strict();
export type Fault = z.infer<typeof faultSchema>;

const scenarioSchema = z
  .object({
    faults: z.array(faultSchema).optional(),
    defaults: z
      .object({ duration: duration.optional(), startup: startup.optional(), log_lines: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    rules: z.array(ruleSchema).default([]),
    tracking: trackingScenarioSchema.optional().describe('Jobs whose env has an http(s) MLFLOW_TRACKING_URI log a run there (simulator/tracking.ts)'),
  })
  .strict();

export type Rule = z.infer<typeof ruleSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export { findRule, globMatch, scenarioPath } from './scenario-match.js';

export function loadScenario(path: string | undefined): Scenario {
  if (path === undefined) return { rules: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SimConfigError(`cannot read scenario file ${path}: ${(e as Error).message}`);
  }
  return parseScenario(text, path);
}

export function parseScenario(text: string, path: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = lineCounter.linePos(err.pos[0]);
    throw new SimConfigError(`${path}:${pos.line}:${pos.col}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS() ?? {};
  const parsed = scenarioSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // Point at the deepest node of the path that exists in the document.
  let where = '';
  const segs = [...issue.path] as (string | number)[];
  for (let n = segs.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segs.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = lineCounter.linePos(range[0]);
      where = `:${pos.line}:${pos.col}`;
      break;
    }
  }
  const keyPath = segs.length ? segs.join('.') : '(top level)';
  throw new SimConfigError(`${path}${where}: ${keyPath}: ${issue.message}`);
}

