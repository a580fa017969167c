// What differs between the SkyPilot releases the simulator can pretend to be. Each emulation is checked
// against the real release by the contract tests (test/contract/).

/** Release families whose CLI behaves alike. */
export type Emulated = '0.9.3' | '0.10' | 'current';

export interface Profile {
  id: Emulated;
  /** `sky --version` string. */
  version: string;
}

const PROFILES: Record<string, Profile> = {
  '0.9.3': { id: '0.9.3', version: '0.9.3' },
  // The latest 0.10 on the package index. `0.10.6` (a source branch, never released) is kept as an alias.
  '0.10.5': { id: '0.10', version: '0.10.5' },
  '0.10.6': { id: '0.10', version: '0.10.5' },
  // The newest release on the package index.
  current: { id: 'current', version: '0.14.1' },
};

export const EMULATE_NAMES = Object.keys(PROFILES);

export function profileFor(name: string | undefined): Profile | undefined {
  if (name === undefined || name === '') return PROFILES.current;
  return PROFILES[name];
}
