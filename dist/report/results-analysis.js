export function stats(values) {
    const n = values.length;
    if (n === 0)
        return { n, mean: null, sd: null, min: null, max: null };
    const mean = values.reduce((s, v) => s + v, 0) / n;
    const sd = n < 2 ? null : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    return { n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}
/** A level as condition ids spell it: a string stands for itself, numbers and booleans get their factor. */
export const levelText = (factor, level) => level === undefined ? '?' : typeof level === 'string' ? level : `${factor}-${String(level)}`;
function conditionValues(entry, outcome, metrics) {
    const tracking = entry.attempts.at(-1)?.tracking ?? null;
    const none = Object.fromEntries(metrics.map((m) => [m.name, null]));
    const base = { condition: entry.condition, levels: entry.levels, tracking };
    if (outcome !== 'succeeded')
        return { ...base, values: none, why_missing: outcome === 'not_launched' ? 'never launched' : outcome === 'running' ? 'still running' : `${outcome} (${entry.failure_category ?? entry.status})` };
    if (tracking === null)
        return { ...base, values: none, why_missing: 'tracking run not read yet' };
    if (tracking.run_id === null && tracking.error)
        return { ...base, values: none, why_missing: `no tracking run: ${tracking.error}` };
    const values = Object.fromEntries(metrics.map((m) => [m.name, tracking.metrics[m.name] ?? null]));
    return { ...base, values, why_missing: null };
}
const whyNoValue = (c, metric) => c.why_missing ?? `${metric} was not logged`;
export function analyzeResults(settings, factors, conditions) {
    const metrics = settings.metrics;
    const primary = metrics.find((m) => m.name === settings.primary) ?? metrics[0] ?? null;
    const replicates = settings.replicates.filter((f) => f in factors);
    const values = conditions.map((c) => conditionValues(c.entry, c.outcome, metrics));
    const caveats = [];
    const main_effects = [];
    for (const metric of metrics) {
        for (const [factor, levels] of Object.entries(factors)) {
            main_effects.push({
                metric: metric.name,
                factor,
                levels: levels.map((level) => {
                    const at = values.filter((c) => c.levels[factor] === level);
                    const have = at.flatMap((c) => (c.values[metric.name] == null ? [] : [c.values[metric.name]]));
                    const missing = at.filter((c) => c.values[metric.name] == null).map((c) => ({ condition: c.condition, why: whyNoValue(c, metric.name) }));
                    return { level, ...stats(have), missing };
                }),
            });
        }
    }
    const top = [];
    if (primary) {
        const treatments = Object.keys(factors).filter((f) => !replicates.includes(f));
        const groups = new Map();
        for (const c of values) {
            const key = JSON.stringify(treatments.map((f) => c.levels[f] ?? null));
            groups.set(key, [...(groups.get(key) ?? []), c]);
        }
        for (const members of groups.values()) {
            const levels = Object.fromEntries(treatments.map((f) => [f, members[0].levels[f]]));
            const have = members.flatMap((c) => (c.values[primary.name] == null ? [] : [{ condition: c.condition, value: c.values[primary.name] }]));
            top.push({
                levels,
                label: treatments.map((f) => levelText(f, levels[f])).join(' · ') || 'all conditions',
                values: have,
                missing: members.filter((c) => c.values[primary.name] == null).map((c) => ({ condition: c.condition, why: whyNoValue(c, primary.name) })),
                ...stats(have.map((v) => v.value)),
            });
        }
        const sign = primary.goal === 'max' ? -1 : 1;
        top.sort((a, b) => (a.mean === null ? 1 : b.mean === null ? -1 : sign * (a.mean - b.mean)) || a.label.localeCompare(b.label));
        const without = values.filter((c) => c.values[primary.name] == null);
        if (without.length) {
            caveats.push(`${without.length} of ${values.length} condition(s) have no ${primary.name} and are left out of every mean (never counted as zero): ` +
                without.map((c) => `${c.condition} (${whyNoValue(c, primary.name)})`).join('; ') + '.');
        }
        const thin = top.filter((t) => t.n < 2);
        if (replicates.length === 0)
            caveats.push(`No replicate factor (fold, seed) is named: each configuration has one value and no spread (set results.replicates).`);
        else if (thin.length) {
            caveats.push(`${thin.length} configuration(s) have fewer than 2 ${replicates.join('/')} values, so no spread: ${thin.map((t) => `${t.label} (n=${t.n})`).join('; ')}.`);
        }
        const ranked = top.filter((t) => t.mean !== null);
        if (ranked.length >= 2 && ranked[0].sd !== null && ranked[1].sd !== null) {
            const [a, b] = ranked;
            const gap = Math.abs(a.mean - b.mean);
            if (gap < Math.max(a.sd, b.sd)) {
                caveats.push(`The best two configurations (${a.label}, ${b.label}) differ by ${fmt(gap)} in mean ${primary.name}, less than one standard deviation across ${replicates.join('/')}: not a clear winner.`);
            }
        }
    }
    return { metrics, primary, replicates, conditions: values, main_effects, top, caveats };
}
/** Metric values as the report prints them: `digits` significant digits, at most 4 decimals. */
export function fmt(x, digits = 4) {
    if (x === null || x === undefined)
        return '–';
    if (Math.abs(x) < 1e-12)
        return '0';
    if (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-4)
        return x.toExponential(2);
    return String(Number(Number(x.toPrecision(digits)).toFixed(4)));
}
