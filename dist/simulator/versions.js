// What differs between the SkyPilot releases the simulator can pretend to be. Each emulation is checked
// against the real release by the contract tests (test/contract/).
const PROFILES = {
    '0.9.3': { id: '0.9.3', version: '0.9.3' },
    // The latest 0.10 on the package index. `0.10.6` (a source branch, never released) is kept as an alias.
    '0.10.5': { id: '0.10', version: '0.10.5' },
    '0.10.6': { id: '0.10', version: '0.10.5' },
    // The newest release on the package index.
    current: { id: 'current', version: '0.14.1' },
};
export const EMULATE_NAMES = Object.keys(PROFILES);
export function profileFor(name) {
    if (name === undefined || name === '')
        return PROFILES.current;
    return PROFILES[name];
}
