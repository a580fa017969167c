// What the factorial workflows need from the outside world, injected so tests and the MCP server share it.
import { analyzeJob } from '../diagnosis/analyze-job.js';
import { defaultLibrary } from '../diagnosis/default-library.js';
import { catalogHourlyRate } from '../pricing/catalog-price.js';
import { resolveDigest } from '../registry/registry-client.js';
import { SkyCli } from '../sky/sky-cli.js';
export function defaultContext(overrides = {}) {
    const sky = overrides.sky ?? new SkyCli();
    return {
        sky,
        outputsDir: overrides.outputsDir ?? process.env.SKYLOOP_OUTPUTS_DIR ?? 'outputs',
        now: overrides.now ?? (() => new Date()),
        diagnose: overrides.diagnose ??
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
