// A minimal OCI distribution endpoint on node:http, so the demo can push, rebuild and verify digests
// with nothing installed: the API subset `docker push` and skyloop's registry client use.
//
//   GET|HEAD /v2/                                     API version check
//   POST     /v2/<name>/blobs/uploads/[?digest=]      start an upload (or upload in one go)
//   PATCH    /v2/<name>/blobs/uploads/<uuid>          append a chunk
//   PUT      /v2/<name>/blobs/uploads/<uuid>?digest=  finish an upload
//   GET|HEAD /v2/<name>/blobs/<digest>
//   PUT|GET|HEAD /v2/<name>/manifests/<tag|digest>    with Docker-Content-Digest
import { createServer } from 'node:http';
import { isRepositoryName, isSha256Digest, isTag } from '../../registry/image-reference.js';
import { MANIFEST_TYPES, RegistryApiError } from './registry-store.js';
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_BLOB_BYTES = 256 * 1024 * 1024;
const UPLOAD = /^\/v2\/(.+)\/blobs\/uploads\/([\w-]*)$/;
const BLOB = /^\/v2\/(.+)\/blobs\/([^/]+)$/;
const MANIFEST = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
async function readBody(req, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > limit)
            throw new RegistryApiError(413, 'SIZE_INVALID', `body larger than ${limit} bytes`);
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
function checkName(name) {
    if (!isRepositoryName(name))
        throw new RegistryApiError(400, 'NAME_INVALID', `invalid repository name '${name}'`);
}
function checkDigest(digest) {
    if (digest === null || !isSha256Digest(digest))
        throw new RegistryApiError(400, 'DIGEST_INVALID', `invalid digest '${digest ?? ''}'`);
    return digest;
}
function uploadHeaders(name, uuid, size) {
    return {
        Location: `/v2/${name}/blobs/uploads/${uuid}`,
        'Docker-Upload-UUID': uuid,
        Range: `0-${Math.max(size - 1, 0)}`,
        'Content-Length': '0',
    };
}
async function route(store, req, res) {
    const url = new URL(req.url ?? '/', 'http://registry');
    const method = req.method ?? 'GET';
    const send = (status, headers, body) => {
        res.writeHead(status, { 'Docker-Distribution-API-Version': 'registry/2.0', ...headers });
        res.end(method === 'HEAD' ? undefined : body);
    };
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
        return send(200, { 'Content-Type': 'application/json', 'Content-Length': '2' }, Buffer.from('{}'));
    }
    let m = UPLOAD.exec(url.pathname);
    if (m) {
        const [, name = '', uuid = ''] = m;
        checkName(name);
        if (method === 'POST' && uuid === '') {
            const digest = url.searchParams.get('digest');
            if (digest !== null) {
                // Monolithic upload: the whole blob in the POST.
                const finished = store.startUpload();
                store.finishUpload(finished, checkDigest(digest), await readBody(req, MAX_BLOB_BYTES));
                return send(201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest, 'Content-Length': '0' });
            }
            const started = store.startUpload();
            return send(202, uploadHeaders(name, started, 0));
        }
        if (method === 'PATCH' && uuid !== '') {
            const size = store.appendUpload(uuid, await readBody(req, MAX_BLOB_BYTES));
            return send(202, uploadHeaders(name, uuid, size));
        }
        if (method === 'PUT' && uuid !== '') {
            const digest = checkDigest(url.searchParams.get('digest'));
            store.finishUpload(uuid, digest, await readBody(req, MAX_BLOB_BYTES));
            return send(201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest, 'Content-Length': '0' });
        }
        throw new RegistryApiError(405, 'UNSUPPORTED', `${method} is not supported on uploads`);
    }
    m = BLOB.exec(url.pathname);
    if (m && (method === 'GET' || method === 'HEAD')) {
        const [, name = '', ref = ''] = m;
        checkName(name);
        const digest = checkDigest(ref);
        const size = store.blobSize(digest);
        if (size === null)
            throw new RegistryApiError(404, 'BLOB_UNKNOWN', `blob ${digest} unknown to registry`);
        const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size), 'Docker-Content-Digest': digest };
        return send(200, headers, method === 'GET' ? store.readBlob(digest) : undefined);
    }
    m = MANIFEST.exec(url.pathname);
    if (m) {
        const [, name = '', ref = ''] = m;
        checkName(name);
        if (!isTag(ref) && !isSha256Digest(ref))
            throw new RegistryApiError(400, 'TAG_INVALID', `invalid tag or digest '${ref}'`);
        if (method === 'PUT') {
            const bytes = await readBody(req, MAX_MANIFEST_BYTES);
            const header = req.headers['content-type']?.split(';')[0]?.trim() ?? '';
            let mediaType = header;
            if (!MANIFEST_TYPES.has(mediaType)) {
                try {
                    mediaType = String(JSON.parse(bytes.toString('utf8')).mediaType ?? '');
                }
                catch {
                    mediaType = '';
                }
            }
            if (!MANIFEST_TYPES.has(mediaType))
                throw new RegistryApiError(400, 'MANIFEST_INVALID', `unsupported manifest media type '${header}'`);
            const digest = store.putManifest(name, ref, mediaType, bytes);
            return send(201, { Location: `/v2/${name}/manifests/${digest}`, 'Docker-Content-Digest': digest, 'Content-Length': '0' });
        }
        if (method === 'GET' || method === 'HEAD') {
            const found = store.getManifest(name, ref);
            if (!found) {
                if (!store.hasRepository(name))
                    throw new RegistryApiError(404, 'NAME_UNKNOWN', `repository name not known to registry: ${name}`);
                throw new RegistryApiError(404, 'MANIFEST_UNKNOWN', `manifest unknown: ${name}:${ref}`);
            }
            const headers = { 'Content-Type': found.mediaType, 'Content-Length': String(found.bytes.length), 'Docker-Content-Digest': found.digest };
            return send(200, headers, found.bytes);
        }
        throw new RegistryApiError(405, 'UNSUPPORTED', `${method} is not supported on manifests`);
    }
    throw new RegistryApiError(404, 'NOT_FOUND', `no route for ${method} ${url.pathname}`);
}
export function createRegistryServer(store) {
    return createServer((req, res) => {
        route(store, req, res).catch((e) => {
            const err = e instanceof RegistryApiError ? e : new RegistryApiError(500, 'UNKNOWN', e.message);
            if (res.headersSent)
                return void res.destroy();
            const body = Buffer.from(JSON.stringify({ errors: [{ code: err.code, message: err.message }] }));
            res.writeHead(err.status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
            res.end(req.method === 'HEAD' ? undefined : body);
            // An unread request body would otherwise keep the connection half-open.
            req.resume();
        });
    });
}
