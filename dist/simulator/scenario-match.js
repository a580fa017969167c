// Rule matching for scenario files, kept free of zod so commands that only match (or find no
// scenario at all) start fast.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
export function scenarioPath(home) {
    const fromEnv = process.env.SKYLOOP_SIM_SCENARIO;
    if (fromEnv)
        return fromEnv;
    const p = join(home, 'scenario.yaml');
    return existsSync(p) ? p : undefined;
}
/** fnmatch-style glob: `*`, `?`, `[seq]`, `[!seq]`; case-sensitive. */
export function globMatch(pattern, value) {
    let re = '^';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '*')
            re += '[\\s\\S]*';
        else if (c === '?')
            re += '[\\s\\S]';
        else if (c === '[') {
            const end = pattern.indexOf(']', i + 2);
            if (end < 0)
                re += '\\[';
            else {
                let body = pattern.slice(i + 1, end);
                if (body.startsWith('!'))
                    body = `^${body.slice(1)}`;
                re += `[${body.replace(/\\/g, '\\\\')}]`;
                i = end;
            }
        }
        else
            re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    return new RegExp(`${re}$`).test(value);
}
export function findRule(scenario, job) {
    for (const [index, rule] of scenario.rules.entries()) {
        const m = rule.match;
        if (m?.name !== undefined && !globMatch(m.name, job.name))
            continue;
        if (m?.env) {
            const ok = Object.entries(m.env).every(([k, pat]) => job.envs[k] !== undefined && globMatch(pat, job.envs[k]));
            if (!ok)
                continue;
        }
        if (m?.image !== undefined) {
            if (job.image === undefined)
                continue;
            const bare = job.image.replace(/^docker:/, '');
            if (!globMatch(m.image, bare) && !globMatch(m.image, job.image))
                continue;
        }
        if (m?.infra !== undefined && !globMatch(m.infra, job.infra))
            continue;
        if (m?.spot !== undefined && m.spot !== job.spot)
            continue;
        return { rule, index };
    }
    return undefined;
}
