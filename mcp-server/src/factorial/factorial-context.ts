// What the factorial workflows need from the outside world, injected so tests and the MCP server share it.
import type { FailureClassifier } from '../diagnosis/failure-classifier.js';
import { lastErrorLineClassifier } from '../diagnosis/failure-classifier.js';
import { SkyCli } from '../sky/sky-cli.js';

export type SkyPort = Pick<SkyCli, 'queue' | 'launch' | 'logs' | 'cancel'>;

export interface FactorialContext {
  sky: SkyPort;
  /** Where manifests, event logs and reports go (default `outputs/`). */
  outputsDir: string;
  now: () => Date;
  classify: FailureClassifier;
  /** How long a re-run waits for `sky jobs launch` processes an interrupted run left behind. */
  orphanWaitMs: number;
}

export function defaultContext(overrides: Partial<FactorialContext> = {}): FactorialContext {
  return {
    sky: overrides.sky ?? new SkyCli(),
    outputsDir: overrides.outputsDir ?? process.env.SKYLOOP_OUTPUTS_DIR ?? 'outputs',
    now: overrides.now ?? (() => new Date()),
    classify: overrides.classify ?? lastErrorLineClassifier,
    orphanWaitMs: overrides.orphanWaitMs ?? 10 * 60_000,
  };
}
