import { nextStep, refusalEntry } from './refusal-catalog.js';
/** A rule (F1–F5, a budget) said no. The message names the rule, why, and the next call (MCP and CLI). */
export class RuleRefusal extends Error {
    rule;
    reason;
    details;
    next;
    id;
    name = 'RuleRefusal';
    constructor(rule, reason, details = [], next = null, 
    /** The refusal's id in instructions/refusals.yaml. */
    id = null) {
        super(`${rule}: ${reason}` +
            (details.length ? `\n  ${details.slice(0, 20).join('\n  ')}${details.length > 20 ? `\n  … and ${details.length - 20} more` : ''}` : '') +
            (next ? `\nnext: ${next.mcp}\n  (CLI: ${next.cli})` : ''));
        this.rule = rule;
        this.reason = reason;
        this.details = details;
        this.next = next;
        this.id = id;
    }
    /** What `--json` prints and what a client may parse. */
    toJSON() {
        return { rule: this.rule, refusal: this.id, reason: this.reason, details: this.details, next: this.next };
    }
}
/** The refusal of catalog entry `id`, with its next step for this experiment/config. */
export function refuse(id, reason, details, vars) {
    return new RuleRefusal(refusalEntry(id).rule, reason, details, nextStep(id, vars), id);
}
/** Throws the refusal of a verdict that said no. */
export function enforce(verdict, vars) {
    if (!verdict.allowed)
        throw refuse(verdict.refusal, verdict.reason, verdict.details, vars);
}
