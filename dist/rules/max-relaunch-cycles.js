// F4 MAX-TWO-CYCLES: at most `max_relaunch_cycles` (2) relaunch cycles per experiment; going further
// needs an explicit authorization that comes with a new budget cap.
import { currentBatch } from '../factorial/manifest.js';
export const cycleLimit = (m) => Math.max(m.max_relaunch_cycles, ...m.cycle_authorizations.map((a) => a.max_cycles));
export function checkMaxRelaunchCycles(m) {
    const next = currentBatch(m) + 1;
    const limit = cycleLimit(m);
    if (next <= limit)
        return { allowed: true, reason: `relaunch cycle ${next} of at most ${limit}` };
    return {
        allowed: false,
        rule: 'F4 MAX-TWO-CYCLES',
        reason: `cycle ${next} would pass the limit of ${limit} relaunch cycles: write the report (skyloop factorial report) ` +
            'and file the remaining failures as issues, or have the user authorize more cycles with a new budget cap',
        details: [],
    };
}
