// One resource per experiment and file: the manifest, the event log and the report, so a client can attach
// them (in Claude Code as @skyloop:skyloop://experiments/<id>/manifest), and `view`, the compact manifest an
// agent reads (newest attempt per condition, each fingerprint once).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FactorialContext } from '../factorial/factorial-context.js';
import { ManifestSchema } from '../factorial/manifest.js';
import { manifestView } from '../factorial/manifest-view.js';
import { markdownReportPath } from '../report/markdown-report.js';
import { redact } from '../redaction/redact.js';
import { checkExperimentId, ExperimentStore } from '../store/experiment-store.js';
import { ExperimentIdSchema } from '../factorial/experiment-config.js';
import { locateOutputsDir, readIndex } from '../factorial/experiment-index.js';

const asFile = (path: string) => readFileSync(path, 'utf8');
const FILES = {
  manifest: { mimeType: 'application/json', description: 'The full manifest (every attempt, with its evidence): for people', path: (s: ExperimentStore, _dir: string) => s.manifestPath, read: asFile },
  view: {
    mimeType: 'application/json',
    description: 'The manifest for agents: the newest attempt of each condition, each failure fingerprint once (a few hundred bytes per condition)',
    path: (s: ExperimentStore, _dir: string) => s.manifestPath,
    read: (path: string) => JSON.stringify(manifestView(ManifestSchema.parse(JSON.parse(asFile(path))))),
  },
  events: { mimeType: 'application/x-ndjson', description: 'The event log of the experiment', path: (s: ExperimentStore, _dir: string) => s.eventsPath, read: asFile },
  report: { mimeType: 'text/markdown', description: 'The Markdown report', path: (s: ExperimentStore, dir: string) => markdownReportPath(dir, s.experimentId), read: asFile },
} as const;

/** Each experiment with the outputs dir it lives in: the manifests here, and those the launch index recorded elsewhere. */
function experiments(outputsDir: string): Map<string, string> {
  const here = (existsSync(outputsDir) ? readdirSync(outputsDir) : []).flatMap((f) => /^factorial_manifest_(.+)\.json$/.exec(f)?.[1] ?? []);
  const found = new Map<string, string>();
  // Ids are checked before any path is made from them (a hand-edited index or a stray file name is skipped).
  for (const id of [...here, ...Object.keys(readIndex())]) {
    if (found.has(id) || !ExperimentIdSchema.safeParse(id).success) continue;
    found.set(id, here.includes(id) ? outputsDir : locateOutputsDir(id, outputsDir));
  }
  return found;
}

export function registerExperimentResources(server: McpServer, ctx: FactorialContext): void {
  for (const [kind, file] of Object.entries(FILES)) {
    server.registerResource(
      `experiment-${kind}`,
      new ResourceTemplate(`skyloop://experiments/{experiment}/${kind}`, {
        list: async () => ({
          resources: [...experiments(ctx.outputsDir)]
            .filter(([id, dir]) => existsSync(file.path(new ExperimentStore(dir, id), dir)))
            .map(([id]) => ({ uri: `skyloop://experiments/${id}/${kind}`, name: `${id} ${kind}`, mimeType: file.mimeType })),
        }),
      }),
      { title: `Experiment ${kind}`, description: file.description, mimeType: file.mimeType },
      async (uri, { experiment }) => {
        const dir = locateOutputsDir(checkExperimentId(String(experiment)), ctx.outputsDir);
        const path = file.path(new ExperimentStore(dir, String(experiment)), dir);
        if (!existsSync(path)) throw new Error(`no ${kind} for experiment '${experiment}' (${path})`);
        return { contents: [{ uri: uri.href, mimeType: file.mimeType, text: redact(file.read(path)) }] };
      },
    );
  }
}
