const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
export function timeAndCost(m) {
    const perRun = m.jobs.length ? m.total_estimated_cost / m.jobs.length : 0;
    const hourly = m.hourly_rate_usd * m.nodes_per_job;
    const expected = hourly > 0 ? perRun / hourly : 0;
    const cycles = m.batches.map((b) => {
        const attempts = m.jobs.flatMap((j) => j.attempts.filter((a) => a.batch === b.batch));
        const ran = attempts.filter((a) => a.duration_seconds !== null);
        const ends = attempts.map((a) => (a.end_time === null ? null : Date.parse(a.end_time)));
        const over = ends.length > 0 && ends.every((e) => e !== null) ? Math.max(...ends) : null;
        const submitted = attempts.flatMap((a) => (a.submitted_at === null ? [] : [Date.parse(a.submitted_at)]));
        return {
            batch: b.batch,
            jobs: attempts.length,
            estimated_usd: round(attempts.length * perRun),
            cost_usd: round(attempts.reduce((s, a) => s + (a.cost_usd ?? 0), 0)),
            expected_hours: round(expected, 3),
            mean_hours: ran.length ? round(ran.reduce((s, a) => s + a.duration_seconds, 0) / ran.length / 3600, 3) : null,
            wall_hours: over === null || submitted.length === 0 ? null : round((over - Math.min(...submitted)) / 3_600_000, 3),
        };
    });
    const conditions = m.jobs.map((j) => {
        const cost = j.attempts.reduce((s, a) => s + (a.cost_usd ?? 0), 0);
        return {
            condition: j.condition,
            attempts: j.attempts.length,
            hours: round(j.attempts.reduce((s, a) => s + (a.duration_seconds ?? 0), 0) / 3600, 3),
            cost_usd: round(cost),
            estimated_usd: round(perRun),
            ratio: perRun > 0 ? round(cost / perRun) : null,
        };
    });
    const over_estimate = conditions.filter((c) => c.ratio !== null && c.ratio >= 2).sort((a, b) => b.cost_usd - a.cost_usd);
    return { per_run_estimate_usd: round(perRun), expected_hours: round(expected, 3), cycles, conditions, over_estimate };
}
