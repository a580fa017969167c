// What differs between the SkyPilot releases the simulator can pretend to be.
const PROFILES = {
    '0.9.3': { id: '0.9.3', version: '0.9.3' },
    '0.10.6': { id: '0.10.6', version: '0.10.6' },
    // HEAD of SkyPilot master as read (2026-06, `__version__ = '1.0.0-dev0'`).
    current: { id: 'current', version: '1.0.0-dev0' },
};
export function profileFor(name) {
    if (name === undefined || name === '')
        return PROFILES.current;
    return PROFILES[name];
}
