import { nextStep, refusalEntry } from './refusal-catalog.js';
import type { RuleVerdict } from './wait-for-terminal.js';

export interface NextStep {
  mcp: string;
  cli: string;
}

/** A rule (F1–F5, a budget) said no. The message names the rule, why, and the next call (MCP and CLI). */
export class RuleRefusal extends Error {
  override readonly name = 'RuleRefusal';
  constructor(
    readonly rule: string,
    readonly reason: string,
    readonly details: string[] = [],
    readonly next: NextStep | null = null,
    /** The refusal's id in instructions/refusals.yaml. */
    readonly id: string | null = null,
  ) {
    super(
      `${rule}: ${reason}` +
        (details.length ? `\n  ${details.slice(0, 20).join('\n  ')}${details.length > 20 ? `\n  … and ${details.length - 20} more` : ''}` : '') +
        (next ? `\nnext: ${next.mcp}\n  (CLI: ${next.cli})` : ''),
    );
  }

  /** What `--json` prints and what a client may parse. */
  toJSON(): { rule: string; refusal: string | null; reason: string; details: string[]; next: NextStep | null } {
    return { rule: this.rule, refusal: this.id, reason: this.reason, details: this.details, next: this.next };
  }
}

/** The refusal of catalog entry `id`, with its next step for this experiment/config. */
export function refuse(id: string, reason: string, details: string[], vars: { experiment?: string; config?: string }): RuleRefusal {
  return new RuleRefusal(refusalEntry(id).rule, reason, details, nextStep(id, vars), id);
}

/** Throws the refusal of a verdict that said no. */
export function enforce(verdict: RuleVerdict, vars: { experiment?: string; config?: string }): void {
  if (!verdict.allowed) throw refuse(verdict.refusal, verdict.reason, verdict.details, vars);
}
