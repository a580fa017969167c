// The eval checklists are data with a fixed shape, and the templates the skills point to validate against
// the same schemas the code uses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { z } from 'zod';
import { expandConditions } from '../../mcp-server/src/factorial/conditions.js';
import { ExperimentConfigSchema } from '../../mcp-server/src/factorial/experiment-config.js';
import { currentAttempt, ManifestSchema } from '../../mcp-server/src/factorial/manifest.js';
import { readYamlFile } from '../../mcp-server/src/util/yaml-file.js';
import { REPO } from '../helpers/paths.js';
import { SKILLS } from './skill-pack.js';

const CriterionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  kind: z.enum(['structural', 'behavioral']),
  criterion: z.string().min(10),
  pass: z.string().min(10),
  fail: z.string().min(10),
  check: z.string().min(10),
  guaranteed_by: z.string().regex(/\b(code|agent)\b/),
  enforced_in: z.array(z.string()).min(1),
});

const ChecklistSchema = z.strictObject({
  skill: z.enum(SKILLS),
  schema_version: z.literal(1),
  criteria: z.array(CriterionSchema).min(1),
  trigger_tests: z.strictObject({
    should_trigger: z.array(z.string().min(5)).min(3),
    should_not_trigger: z.array(z.string().min(5)).min(3),
  }),
});

/** The original skills had 5 (factorial-monitor) and 6 (ralph-loop) binary criteria; the checklists keep them. */
const CRITERIA = { 'factorial-monitor': 5, 'ralph-loop': 6 } as const;

describe.each(SKILLS)('eval/%s.checklist.yaml', (skill) => {
  const checklist = ChecklistSchema.parse(YAML.parse(readFileSync(join(REPO, 'eval', `${skill}.checklist.yaml`), 'utf8')));

  it('has the expected shape, skill and number of criteria, with unique ids', () => {
    expect(checklist.skill).toBe(skill);
    expect(checklist.criteria).toHaveLength(CRITERIA[skill]);
    const ids = checklist.criteria.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names only files that exist as where a criterion is enforced', () => {
    const missing = checklist.criteria.flatMap((c) => c.enforced_in.filter((p) => !existsSync(join(REPO, p))).map((p) => `${c.id}: ${p}`));
    expect(missing).toEqual([]);
  });

  it('never lists a prompt as both should and should not trigger', () => {
    const { should_trigger, should_not_trigger } = checklist.trigger_tests;
    expect(should_trigger.filter((p) => should_not_trigger.includes(p))).toEqual([]);
  });
});

it('the two skills route each other\'s key prompt away', () => {
  const load = (s: string) => ChecklistSchema.parse(YAML.parse(readFileSync(join(REPO, 'eval', `${s}.checklist.yaml`), 'utf8'))).trigger_tests;
  const fm = load('factorial-monitor');
  const rl = load('ralph-loop');
  expect(rl.should_not_trigger.some((p) => fm.should_trigger.includes(p))).toBe(true);
  expect(fm.should_not_trigger.some((p) => /single/i.test(p))).toBe(true);
});

describe('templates the skills point to', () => {
  it('templates/factorial-manifest.example.json validates against ManifestSchema and tells the demo story', () => {
    const m = ManifestSchema.parse(JSON.parse(readFileSync(join(REPO, 'templates', 'factorial-manifest.example.json'), 'utf8')));
    expect(m.jobs).toHaveLength(24);
    expect(m.kill_switch.length).toBeGreaterThan(0);
    expect(m.rebuilds.some((r) => r.verified)).toBe(true);
    expect(m.batches.at(-1)?.docker_image).toMatch(/^docker:[^@]+@sha256:[0-9a-f]{64}$/);
    // Relaunched conditions keep one entry, with both attempts.
    const relaunched = m.jobs.filter((j) => j.attempts.length > 1);
    expect(relaunched.length).toBeGreaterThan(0);
    for (const j of relaunched) expect(currentAttempt(j)?.batch).toBe(j.relaunch_batch);
  });

  it('the manifest example carries no machine-specific paths or ports', () => {
    const text = readFileSync(join(REPO, 'templates', 'factorial-manifest.example.json'), 'utf8');
    expect(text).not.toMatch(/\/tmp\/|127\.0\.0\.1|localhost|\/work\/|sky-sim/);
  });

  it('templates/experiment.example.yaml passes ExperimentConfigSchema', () => {
    const cfg = readYamlFile(join(REPO, 'templates', 'experiment.example.yaml'), ExperimentConfigSchema);
    expect(expandConditions(cfg).length).toBeGreaterThan(0);
    expect(cfg.cost.approval_threshold_usd).toBe(20);
    expect(cfg.kill_switch).toEqual({ enabled: true, min_failures: 3, window_s: 300 });
  });

  it('the example config builds and pushes the tag its jobs run, so copying it gives no stale push', () => {
    const cfg = readYamlFile(join(REPO, 'templates', 'experiment.example.yaml'), ExperimentConfigSchema);
    const task = readFileSync(join(REPO, 'templates', 'train.sky.yaml'), 'utf8');
    const image = (cfg.image ?? /image_id: (\S+)/.exec(task)?.[1] ?? '').replace(/^docker:/, '');
    const commented = /^# image: docker:(\S+)$/m.exec(readFileSync(join(REPO, 'templates', 'experiment.example.yaml'), 'utf8'))?.[1];
    expect(image).toMatch(/:v\d+$/);
    expect(commented ?? image).toBe(image);
    expect(cfg.commands.build).toContain(` ${image} `);
    expect(cfg.commands.push).toBe(`docker push ${image}`);
  });
});
