/** Expected cost of launching `conditions` jobs: each runs the expected hours on `nodes` nodes at the hourly rate. */
export function estimateLaunchCost(conditions, expectedHours, hourlyRate, nodes) {
    return Math.round(conditions * expectedHours * hourlyRate * nodes * 100) / 100;
}
