// SKYLOOP_CONTRACT_VERSIONS picks the releases the contract tests run for (each one's harness takes minutes).
import { describe, expect, it } from 'vitest';
import { selectReleases } from './skypilot-versions.js';

const ALL = ['0.9.3', '0.10.5', '0.11.2', '0.13.0'].map((version) => ({ version }));

describe('selectReleases', () => {
  it('keeps every release when the filter is unset or empty', () => {
    expect(selectReleases(ALL, undefined)).toEqual(ALL);
    expect(selectReleases(ALL, ' , ')).toEqual(ALL);
  });

  it('keeps the listed releases, in the order of the list of releases', () => {
    expect(selectReleases(ALL, '0.13.0, 0.9.3').map((r) => r.version)).toEqual(['0.9.3', '0.13.0']);
  });

  it('refuses a name that is not a release rather than running nothing', () => {
    expect(() => selectReleases(ALL, '0.11.2,0.12')).toThrow('SKYLOOP_CONTRACT_VERSIONS names 0.12: the releases are 0.9.3, 0.10.5, 0.11.2, 0.13.0');
  });
});
