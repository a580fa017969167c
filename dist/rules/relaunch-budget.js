import { costSoFar } from '../factorial/manifest.js';
/** A relaunch must fit what is left of the budget after everything spent so far. */
export function checkRelaunchBudget(m, estimateUsd) {
    const remaining = Math.round((m.budget_usd - costSoFar(m)) * 100) / 100;
    if (estimateUsd <= remaining)
        return { allowed: true, reason: `estimated $${estimateUsd.toFixed(2)} of $${remaining.toFixed(2)} left` };
    return {
        allowed: false,
        refusal: 'BUDGET_RELAUNCH',
        rule: 'BUDGET',
        reason: `the relaunch is estimated at $${estimateUsd.toFixed(2)} but only $${remaining.toFixed(2)} of the $${m.budget_usd.toFixed(2)} budget is left`,
        details: [],
    };
}
