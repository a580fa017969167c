// Pushing through the distribution HTTP API, the way `docker push` does it: each blob with a
// POST + PUT upload, then the manifest under its tag. Used by `sky-sim sim push` and by the tests
// that push to a real registry.
import { createHash } from 'node:crypto';
export const sha256Digest = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
async function expectStatus(res, status, what) {
    if (res.status === status)
        return;
    throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
}
function headers(target, more = {}) {
    return target.authorization ? { ...more, Authorization: target.authorization } : more;
}
/** Uploads one blob; returns its digest. */
export async function pushBlob(target, bytes) {
    const digest = sha256Digest(bytes);
    const start = await fetch(`${target.baseUrl}/v2/${target.repository}/blobs/uploads/`, { method: 'POST', headers: headers(target) });
    await expectStatus(start, 202, `starting a blob upload to ${target.repository}`);
    const location = start.headers.get('location');
    if (!location)
        throw new Error(`starting a blob upload to ${target.repository}: no Location header`);
    const url = new URL(location, target.baseUrl);
    url.searchParams.set('digest', digest);
    const put = await fetch(url, {
        method: 'PUT',
        headers: headers(target, { 'Content-Type': 'application/octet-stream' }),
        body: bytes,
    });
    await expectStatus(put, 201, `finishing the upload of blob ${digest}`);
    return digest;
}
/** Stores a manifest under a tag (or its digest); returns the digest the registry reports. */
export async function pushManifest(target, reference, mediaType, bytes) {
    const res = await fetch(`${target.baseUrl}/v2/${target.repository}/manifests/${reference}`, {
        method: 'PUT',
        headers: headers(target, { 'Content-Type': mediaType }),
        body: bytes,
    });
    await expectStatus(res, 201, `pushing manifest ${target.repository}:${reference}`);
    return res.headers.get('docker-content-digest') ?? sha256Digest(bytes);
}
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
/** A small OCI image: a config blob carrying `labels`, one layer, and the manifest under `tag`. */
export async function pushImage(target, tag, options = {}) {
    const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
    const layer = options.layer ?? new TextEncoder().encode(`skyloop simulated layer ${target.repository}:${tag}\n`);
    const config = new TextEncoder().encode(JSON.stringify({
        ...platform,
        created: new Date().toISOString(),
        config: { Labels: options.labels ?? {} },
        rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] },
    }));
    const configDigest = await pushBlob(target, config);
    const layerDigest = await pushBlob(target, layer);
    const manifest = new TextEncoder().encode(JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.length },
        layers: [{ mediaType: OCI_LAYER, digest: layerDigest, size: layer.length }],
    }));
    const digest = await pushManifest(target, tag, OCI_MANIFEST, manifest);
    return { digest, manifest, size: manifest.length };
}
