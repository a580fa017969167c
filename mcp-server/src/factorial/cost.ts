/** Expected cost of launching `conditions` jobs: each runs the expected hours on `nodes` nodes at the hourly rate. */
export function estimateLaunchCost(conditions: number, expectedHours: number, hourlyRate: number, nodes: number): number {
  return Math.round(conditions * expectedHours * hourlyRate * nodes * 100) / 100;
}
