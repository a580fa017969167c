// instructions/failure-patterns.md documents instructions/failure-patterns.yaml; they must not drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPatternLibrary } from '../../mcp-server/src/diagnosis/pattern-library.js';

const ORIGINAL_14 = ['GPU_SOLD_OUT', 'DOCKER_PULL_FAIL', 'DOCKER_AUTH_FAIL', 'DVC_NO_GIT', 'ENV_VAR_LITERAL', 'MLFLOW_ARTIFACT_500', 'MLFLOW_AUTH_FAIL', 'OOM_CUDA', 'OOM_CPU', 'TORCH_SAVE_IO', 'SPOT_PREEMPTION', 'DATA_MISSING', 'DISK_FULL', 'TIMEOUT'];
const ADDED = ['QUOTA_EXCEEDED', 'INFEASIBLE_RESOURCES', 'CLOUD_CREDENTIALS', 'DVC_PULL_FAIL', 'MLFLOW_UNREACHABLE', 'NCCL_ERROR', 'STORAGE_ACCESS', 'SETUP_FAILURE', 'COMMAND_NOT_FOUND', 'CONTROLLER_FAILURE', 'PYTHON_EXCEPTION', 'UNKNOWN'];

const library = loadPatternLibrary();
const md = readFileSync(new URL('../../instructions/failure-patterns.md', import.meta.url), 'utf8');
const unticks = (cell: string) => cell.replace(/`/g, '').trim();
const rows = md
  .split('\n')
  .filter((l) => /^\|\s*`[A-Z_0-9]+`\s*\|/.test(l))
  .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));

describe('the failure-pattern library', () => {
  it('has the original 14 categories, their old code names as aliases, and the added ones', () => {
    expect(library.categories.map((c) => c.id)).toEqual(expect.arrayContaining([...ORIGINAL_14, ...ADDED]));
    expect(library.byName.get('OOM')?.id).toBe('OOM_CUDA');
    expect(library.byName.get('REGISTRY_AUTH')?.id).toBe('DOCKER_AUTH_FAIL');
    expect(library.byName.get('RESOURCES_UNAVAILABLE')?.id).toBe('GPU_SOLD_OUT');
    expect(library.byName.get('MLFLOW_AUTH')?.id).toBe('MLFLOW_AUTH_FAIL');
  });

  it('is documented row for row in failure-patterns.md (id, aliases, priority, fixability)', () => {
    const documented = rows.map(([id, aliases, priority, fixability]) => ({
      id: unticks(id ?? ''),
      aliases: aliases === '-' ? [] : (aliases ?? '').split(',').map(unticks).filter(Boolean),
      priority: Number(priority),
      fixability: unticks(fixability ?? ''),
    }));
    expect(documented).toEqual(library.categories.map((c) => ({ id: c.id, aliases: c.aliases, priority: c.priority, fixability: c.fixability })));
  });

  it("documents the vocabulary section term for term, in the YAML's order, at the end of failure-patterns.md", () => {
    const section = md.slice(md.indexOf('\n## Vocabulary fallback\n'));
    expect(section.length).toBeGreaterThan(30);
    const documented = section
      .split('\n')
      .filter((l) => /^- `[A-Z_0-9]+`: /.test(l))
      .map((l) => ({ id: unticks(l.slice(2, l.indexOf(':'))), terms: l.slice(l.indexOf(': ') + 2).split('`, `').map(unticks) }));
    expect(documented).toEqual(library.vocabulary.map((e) => ({ id: e.category.id, terms: e.terms })));
  });

  it('keeps the vocabulary below the needles: no term is a whole needle of another category', () => {
    // A term that equals another category's needle would make the fallback contradict the specific match.
    for (const e of library.vocabulary) {
      for (const term of e.terms) {
        const owner = library.categories.find((c) => c.id !== e.category.id && c.detect.any.some((n) => n.text.toLowerCase() === term.toLowerCase()));
        expect(owner?.id, `${e.category.id}: ${term}`).toBeUndefined();
      }
    }
  });

  it('gives the first fatal cause priority over its usual symptoms', () => {
    const p = (id: string) => library.byName.get(id)!.priority;
    expect(p('OOM_CUDA')).toBeGreaterThan(p('NCCL_ERROR'));
    expect(p('DISK_FULL')).toBeGreaterThan(p('TORCH_SAVE_IO'));
    expect(p('DATA_MISSING')).toBeGreaterThan(p('PYTHON_EXCEPTION'));
    expect(p('PYTHON_EXCEPTION')).toBeGreaterThan(p('UNKNOWN'));
  });
});
