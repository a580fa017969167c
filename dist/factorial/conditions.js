/** A level that starts with a letter stands for itself; others get their factor name (`fold-0`, `lr-3e-4`). */
function levelPart(factor, level) {
    const text = typeof level === 'string' && /^[A-Za-z]/.test(level) ? level : `${factor}-${String(level)}`;
    return text.replace(/[^A-Za-z0-9_.-]+/g, '-');
}
export function expandConditions(cfg) {
    const factors = Object.entries(cfg.factors);
    let combos = [{}];
    for (const [factor, levels] of factors) {
        combos = combos.flatMap((c) => levels.map((level) => ({ ...c, [factor]: level })));
    }
    const excluded = (levels) => cfg.exclude.some((rule) => Object.entries(rule).every(([f, l]) => levels[f] === l));
    const conditions = combos
        .filter((levels) => !excluded(levels))
        .map((levels) => {
        const parts = factors.map(([factor]) => levelPart(factor, levels[factor]));
        return { id: parts.join('/'), slug: parts.join('.'), levels };
    });
    const seen = new Map();
    for (const c of conditions) {
        const other = seen.get(c.slug);
        if (other) {
            throw new Error(`conditions ${JSON.stringify(other.levels)} and ${JSON.stringify(c.levels)} map to the same job name ` +
                `'${c.slug}': make their levels differ in letters or digits`);
        }
        seen.set(c.slug, c);
    }
    return conditions;
}
/** `<experiment>-<condition slug>-b<batch>`: conditions map to jobs by this name, never by launch order. */
export const jobName = (experiment, condition, batch) => `${experiment}-${condition.slug}-b${batch}`;
