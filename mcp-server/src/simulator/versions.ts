// What differs between the SkyPilot releases the simulator can pretend to be.

export type Emulated = '0.9.3' | '0.10.6' | 'current';

export interface Profile {
  id: Emulated;
  /** `sky --version` string. */
  version: string;
}

const PROFILES: Record<Emulated, Profile> = {
  '0.9.3': { id: '0.9.3', version: '0.9.3' },
  '0.10.6': { id: '0.10.6', version: '0.10.6' },
  // HEAD of SkyPilot master as read (2026-06, `__version__ = '1.0.0-dev0'`).
  current: { id: 'current', version: '1.0.0-dev0' },
};

export function profileFor(name: string | undefined): Profile | undefined {
  if (name === undefined || name === '') return PROFILES.current;
  return (PROFILES as Record<string, Profile>)[name];
}
