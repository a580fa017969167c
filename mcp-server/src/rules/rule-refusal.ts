/** A rule (F1–F5, a budget) said no. The message names the rule and what to do instead. */
export class RuleRefusal extends Error {
  override readonly name = 'RuleRefusal';
  constructor(
    readonly rule: string,
    reason: string,
    readonly details: string[] = [],
  ) {
    super(`${rule}: ${reason}${details.length ? `\n  ${details.slice(0, 20).join('\n  ')}${details.length > 20 ? `\n  … and ${details.length - 20} more` : ''}` : ''}`);
  }
}
