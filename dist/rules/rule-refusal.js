/** A rule (F1–F5, a budget) said no. The message names the rule and what to do instead. */
export class RuleRefusal extends Error {
    rule;
    details;
    name = 'RuleRefusal';
    constructor(rule, reason, details = []) {
        super(`${rule}: ${reason}${details.length ? `\n  ${details.slice(0, 20).join('\n  ')}${details.length > 20 ? `\n  … and ${details.length - 20} more` : ''}` : ''}`);
        this.rule = rule;
        this.details = details;
    }
}
