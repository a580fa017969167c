// What differs between the SkyPilot releases the simulator can pretend to be. Each emulation is checked
// against the real release by the contract tests (test/contract/).
const BEFORE_014 = { eventReasons: false, jobGroupFields: false, fieldsAsRequested: false, exitCodesInReason: false };
const PROFILES = {
    '0.9.3': { id: '0.9.3', version: '0.9.3', has: BEFORE_014 },
    // The latest 0.10 on the package index. `0.10.6` (a source branch, never released) is kept as an alias.
    '0.10.5': { id: '0.10', version: '0.10.5', has: BEFORE_014 },
    '0.10.6': { id: '0.10', version: '0.10.5', has: BEFORE_014 },
    // 0.12 prints the newest release's queue (columns, options, `-o json`) with the older records; its other
    // commands follow the newest release.
    '0.12.3.post1': { id: 'current', version: '0.12.3.post1', has: BEFORE_014 },
    // The newest release on the package index.
    current: { id: 'current', version: '0.14.1', has: { eventReasons: true, jobGroupFields: true, fieldsAsRequested: true, exitCodesInReason: true } },
};
export const EMULATE_NAMES = Object.keys(PROFILES);
export function profileFor(name) {
    if (name === undefined || name === '')
        return PROFILES.current;
    return PROFILES[name];
}
