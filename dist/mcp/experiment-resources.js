// One resource per experiment and file: the manifest, the event log and the report, so a client can attach
// them (in Claude Code as @skyloop:skyloop://experiments/<id>/manifest).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { markdownReportPath } from '../report/markdown-report.js';
import { ExperimentStore } from '../store/experiment-store.js';
const FILES = {
    manifest: { mimeType: 'application/json', path: (s, _dir) => s.manifestPath },
    events: { mimeType: 'application/x-ndjson', path: (s, _dir) => s.eventsPath },
    report: { mimeType: 'text/markdown', path: (s, dir) => markdownReportPath(dir, s.experimentId) },
};
function experiments(outputsDir) {
    if (!existsSync(outputsDir))
        return [];
    return readdirSync(outputsDir).flatMap((f) => {
        const m = /^factorial_manifest_(.+)\.json$/.exec(f);
        return m ? [m[1]] : [];
    });
}
export function registerExperimentResources(server, ctx) {
    for (const [kind, file] of Object.entries(FILES)) {
        server.registerResource(`experiment-${kind}`, new ResourceTemplate(`skyloop://experiments/{experiment}/${kind}`, {
            list: async () => ({
                resources: experiments(ctx.outputsDir)
                    .filter((id) => existsSync(file.path(new ExperimentStore(ctx.outputsDir, id), ctx.outputsDir)))
                    .map((id) => ({ uri: `skyloop://experiments/${id}/${kind}`, name: `${id} ${kind}`, mimeType: file.mimeType })),
            }),
        }), { title: `Experiment ${kind}`, description: `The ${kind} of a factorial experiment`, mimeType: file.mimeType }, async (uri, { experiment }) => {
            const path = file.path(new ExperimentStore(ctx.outputsDir, String(experiment)), ctx.outputsDir);
            if (!existsSync(path))
                throw new Error(`no ${kind} for experiment '${experiment}' (${path})`);
            return { contents: [{ uri: uri.href, mimeType: file.mimeType, text: readFileSync(path, 'utf8') }] };
        });
    }
}
