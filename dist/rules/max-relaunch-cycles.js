// F4 MAX-TWO-CYCLES: at most `max_relaunch_cycles` (2) relaunch cycles per experiment; going further
// needs an explicit authorization that comes with a new budget cap.
import { currentBatch } from '../factorial/manifest.js';
export const cycleLimit = (m) => Math.max(m.max_relaunch_cycles, ...m.cycle_authorizations.map((a) => a.max_cycles));
/** Where the next relaunch stands against F4, in words an agent can pass on ("the last allowed cycle"). */
export function nextCycleNote(m) {
    const next = currentBatch(m) + 1;
    const limit = cycleLimit(m);
    const note = next > limit
        ? `no relaunch cycle is left (${limit} used): the next relaunch needs the user's authorization`
        : next === limit
            ? `a relaunch would be cycle ${next} of ${limit}, the last allowed cycle: fix every cause in this one`
            : `a relaunch would be cycle ${next} of ${limit}`;
    return { next_cycle: next, limit, last_allowed: next === limit, note };
}
export function checkMaxRelaunchCycles(m) {
    const { next_cycle: next, limit, last_allowed } = nextCycleNote(m);
    if (next <= limit)
        return { allowed: true, reason: `relaunch cycle ${next} of at most ${limit}${last_allowed ? ' (the last allowed cycle)' : ''}` };
    return {
        allowed: false,
        refusal: 'F4_CYCLES',
        rule: 'F4 MAX-TWO-CYCLES',
        reason: `cycle ${next} would pass the limit of ${limit} relaunch cycles: write the report and file the remaining ` +
            'failures as issues, or have the user authorize more cycles with a new budget cap',
        details: [],
    };
}
