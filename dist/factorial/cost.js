/** Expected cost of launching `conditions` jobs: each runs the expected hours on `nodes` nodes at the hourly rate. */
export function estimateLaunchCost(conditions, cfg, nodes) {
    return Math.round(conditions * cfg.cost.expected_hours * cfg.cost.hourly_rate_usd * nodes * 100) / 100;
}
