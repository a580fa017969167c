// The simulator registry's storage under $SKYLOOP_SIM_HOME/registry: content-addressed blobs (manifests
// too), and per repository the tags and the manifests pushed to it. Every write is a rename, so a
// killed registry never leaves half a blob under a digest.
//
//   blobs/sha256/<hex>                     bytes
//   uploads/<uuid>                         an upload in progress
//   repositories/<name>/tags/<tag>         the digest the tag points to
//   repositories/<name>/manifests/<hex>    the manifest's media type (its bytes are the blob)
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
/** An error the distribution API reports as `{errors: [{code, message}]}` with this HTTP status. */
export class RegistryApiError extends Error {
    status;
    code;
    constructor(status, code, message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
const IMAGE_MANIFESTS = new Set(['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json']);
const INDEXES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
export const MANIFEST_TYPES = new Set([...IMAGE_MANIFESTS, ...INDEXES]);
const hexOf = (digest) => digest.slice('sha256:'.length);
export const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
function writeAtomic(path, data) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}-${randomUUID()}`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
}
export class RegistryStore {
    root;
    constructor(root) {
        this.root = root;
        mkdirSync(join(root, 'uploads'), { recursive: true });
    }
    blobPath = (digest) => join(this.root, 'blobs', 'sha256', hexOf(digest));
    uploadPath = (uuid) => join(this.root, 'uploads', uuid);
    repoPath = (name, ...rest) => join(this.root, 'repositories', ...name.split('/'), ...rest);
    /** Size of a stored blob, or null. */
    blobSize(digest) {
        try {
            return statSync(this.blobPath(digest)).size;
        }
        catch {
            return null;
        }
    }
    readBlob(digest) {
        return readFileSync(this.blobPath(digest));
    }
    startUpload() {
        const uuid = randomUUID();
        writeFileSync(this.uploadPath(uuid), '');
        return uuid;
    }
    /** Appends a chunk; returns the upload's size so far. */
    appendUpload(uuid, chunk) {
        const path = this.uploadPath(uuid);
        if (!existsSync(path))
            throw new RegistryApiError(404, 'BLOB_UPLOAD_UNKNOWN', `no upload ${uuid}`);
        if (chunk.length > 0)
            appendFileSync(path, chunk);
        return statSync(path).size;
    }
    /** Ends an upload: the bytes must hash to `digest`. */
    finishUpload(uuid, digest, lastChunk) {
        this.appendUpload(uuid, lastChunk);
        const path = this.uploadPath(uuid);
        const actual = sha256(readFileSync(path));
        if (actual !== digest) {
            rmSync(path, { force: true });
            throw new RegistryApiError(400, 'DIGEST_INVALID', `uploaded content hashes to ${actual}, not ${digest}`);
        }
        mkdirSync(dirname(this.blobPath(digest)), { recursive: true });
        renameSync(path, this.blobPath(digest));
    }
    putBlob(bytes) {
        const digest = sha256(bytes);
        writeAtomic(this.blobPath(digest), bytes);
        return digest;
    }
    /** Stores a manifest under a tag or its own digest, after checking everything it references is here. */
    putManifest(name, reference, mediaType, bytes) {
        const digest = sha256(bytes);
        if (reference.startsWith('sha256:') && reference !== digest) {
            throw new RegistryApiError(400, 'DIGEST_INVALID', `manifest hashes to ${digest}, not ${reference}`);
        }
        let parsed;
        try {
            parsed = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            throw new RegistryApiError(400, 'MANIFEST_INVALID', 'manifest is not JSON');
        }
        if (IMAGE_MANIFESTS.has(mediaType)) {
            for (const d of [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)]) {
                if (typeof d !== 'string' || this.blobSize(d) === null)
                    throw new RegistryApiError(400, 'MANIFEST_BLOB_UNKNOWN', `blob ${d} is not in ${name}`);
            }
        }
        else {
            for (const m of parsed.manifests ?? []) {
                if (typeof m.digest !== 'string' || this.getManifest(name, m.digest) === null) {
                    throw new RegistryApiError(400, 'MANIFEST_UNKNOWN', `manifest ${m.digest} is not in ${name}`);
                }
            }
        }
        this.putBlob(bytes);
        writeAtomic(this.repoPath(name, 'manifests', hexOf(digest)), mediaType);
        if (!reference.startsWith('sha256:'))
            writeAtomic(this.repoPath(name, 'tags', reference), digest);
        return digest;
    }
    getManifest(name, reference) {
        let digest = reference;
        try {
            if (!reference.startsWith('sha256:'))
                digest = readFileSync(this.repoPath(name, 'tags', reference), 'utf8');
            const mediaType = readFileSync(this.repoPath(name, 'manifests', hexOf(digest)), 'utf8');
            return { digest, mediaType, bytes: this.readBlob(digest) };
        }
        catch (e) {
            if (e.code === 'ENOENT')
                return null;
            throw e;
        }
    }
    hasRepository(name) {
        return existsSync(this.repoPath(name));
    }
}
