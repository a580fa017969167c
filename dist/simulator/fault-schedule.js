// Scheduled faults (the scenario's `faults:`): which fault, if any, hits this command now. Windows are in
// simulated time since the simulator world began, so a "10-minute outage three hours in" happens at the
// same simulated moment however fast the machine is; `times` counts hits in the state, under its lock.
import { readFileSync } from 'node:fs';
import { scenarioPath } from './scenario-match.js';
import { readState, simHome, simNow, updateState } from './state.js';
export async function scheduledFault(key, argv) {
    const path = scenarioPath(simHome());
    if (path === undefined)
        return undefined;
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch {
        return undefined; // the launch reports an unreadable scenario
    }
    if (!/^faults:/m.test(text))
        return undefined; // most scenarios have none: skip parsing
    const { parseScenario } = await import('./scenario.js');
    const faults = parseScenario(text, path).faults ?? [];
    const state = readState();
    const elapsed = simNow(state) - state.epoch.sim;
    const controller = argv.includes('--controller');
    const due = faults.findIndex((f) => (f.command === 'all' || f.command === key) &&
        (f.controller === undefined || f.controller === controller) &&
        elapsed >= f.after &&
        (f.for === undefined || elapsed < f.after + f.for));
    if (due < 0)
        return undefined;
    const fault = faults[due];
    if (fault.times === undefined)
        return fault.mode;
    const hit = await updateState((s) => {
        const used = (s.faultHits ??= {});
        const n = used[due] ?? 0;
        if (n >= fault.times)
            return false;
        used[due] = n + 1;
        return true;
    });
    return hit ? fault.mode : undefined;
}
