// What the factorial workflows need from the outside world, injected so tests and the MCP server share it.
import { analyzeJob } from '../diagnosis/analyze-job.js';
import { defaultLibrary } from '../diagnosis/default-library.js';
import { catalogHourlyRate, type HourlyRate } from '../pricing/catalog-price.js';
import { resolveDigest } from '../registry/registry-client.js';
import { SkyCli } from '../sky/sky-cli.js';
import type { Failure } from './manifest.js';

export type SkyPort = Pick<SkyCli, 'queue' | 'launch' | 'logs' | 'cancel'>;

/** Diagnoses one failed job: the seam between monitoring and the diagnosis engine. */
export type JobDiagnoser = (job: { job_id: number; status: string; failure_reason: string | null }) => Promise<Failure>;

/** Resolves an image tag to its digest in the registry itself (rule F3). */
export interface RegistryPort {
  resolveDigest(image: string): Promise<{ digest: string }>;
}

export interface FactorialContext {
  sky: SkyPort;
  /** Where manifests, event logs and reports go (default `outputs/`). */
  outputsDir: string;
  now: () => Date;
  diagnose: JobDiagnoser;
  registry: RegistryPort;
  /** Catalog price of a node-hour, when a config gives none. */
  hourlyRate: HourlyRate;
  /** How long a re-run waits for `sky jobs launch` processes an interrupted run left behind. */
  orphanWaitMs: number;
}

export function defaultContext(overrides: Partial<FactorialContext> = {}): FactorialContext {
  const sky = overrides.sky ?? new SkyCli();
  return {
    sky,
    outputsDir: overrides.outputsDir ?? process.env.SKYLOOP_OUTPUTS_DIR ?? 'outputs',
    now: overrides.now ?? (() => new Date()),
    diagnose:
      overrides.diagnose ??
      (async (job) => {
        const a = await analyzeJob(job.job_id, sky, defaultLibrary(), job);
        return {
          category: a.category,
          fingerprint: a.fingerprint,
          line: a.evidence[0]?.line ?? null,
          confidence: a.confidence,
          fixability: a.fixability,
          exception_type: a.exception_type,
        };
      }),
    registry: overrides.registry ?? { resolveDigest: (image) => resolveDigest(image) },
    hourlyRate: overrides.hourlyRate ?? catalogHourlyRate(),
    orphanWaitMs: overrides.orphanWaitMs ?? 10 * 60_000,
  };
}
