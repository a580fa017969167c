// `sky-sim sim registry [--port N]` serves the simulator's registry until killed; `sky-sim sim push
// <host:port/repo:tag> [--label K=V]...` pushes a small image to it, standing in for `docker push`.
import { join } from 'node:path';
import { parseCommand } from '../args.js';
import { SimConfigError } from '../errors.js';
import { stdout } from '../output.js';
import { simHome } from '../state.js';
import { formatName, parseImageReference } from '../../registry/image-reference.js';
import { isLoopbackHost, registryBaseUrl } from '../../registry/registry-url.js';
import { pushImage } from './oci-push.js';
import { createRegistryServer } from './registry-server.js';
import { RegistryStore } from './registry-store.js';
const SERVE = { path: 'sky-sim sim registry', options: [{ names: ['--port'], dest: 'port', kind: 'int' }], args: [] };
const PUSH = {
    path: 'sky-sim sim push',
    options: [{ names: ['--label'], dest: 'label', kind: 'multi' }],
    args: [{ name: 'REF', kind: 'string', nargs: 1, required: true }],
};
export const registryRoot = () => join(simHome(), 'registry');
export async function serveRegistry(argv) {
    const port = parseCommand(SERVE, argv).opts.port ?? 0;
    if (port < 0 || port > 65535)
        throw new SimConfigError(`--port must be 0-65535, got ${port}`);
    const server = createRegistryServer(new RegistryStore(registryRoot()));
    await new Promise((resolve, reject) => {
        server.once('error', (e) => reject(new SimConfigError(`registry cannot listen on 127.0.0.1:${port}: ${e.message}`)));
        server.listen(port, '127.0.0.1', resolve);
    });
    const bound = server.address().port;
    // Callers wait for this exact first line to learn the port.
    await stdout.line(`Registry listening on http://127.0.0.1:${bound}`);
    await stdout.flush();
    await new Promise((resolve) => {
        const stop = () => {
            server.closeAllConnections();
            server.close(() => resolve());
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
    });
    return 0;
}
export async function pushToRegistry(argv) {
    const parsed = parseCommand(PUSH, argv);
    const raw = parsed.args.REF;
    const labels = {};
    for (const kv of parsed.opts.label ?? []) {
        const eq = kv.indexOf('=');
        if (eq <= 0)
            throw new SimConfigError(`--label takes KEY=VALUE, got '${kv}'`);
        labels[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    let ref;
    try {
        ref = parseImageReference(raw);
    }
    catch (e) {
        throw new SimConfigError(e.message);
    }
    if (!isLoopbackHost(ref.registry) || ref.tag === null || ref.digest !== null) {
        throw new SimConfigError(`push takes 127.0.0.1:<port>/<repository>:<tag> (the simulator's registry), got '${raw}'`);
    }
    let digest;
    try {
        ({ digest } = await pushImage({ baseUrl: registryBaseUrl(ref.registry), repository: ref.repository }, ref.tag, { labels }));
    }
    catch (e) {
        const cause = e.cause?.code;
        throw new SimConfigError(`push to ${ref.registry} failed: ${cause === 'ECONNREFUSED' ? 'connection refused (is `sky-sim sim registry` running?)' : e.message}`);
    }
    await stdout.line(`pushed ${formatName(ref)}:${ref.tag}@${digest}`);
    return 0;
}
