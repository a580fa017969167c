// Asks an image's registry, over the distribution HTTP API, which manifest a tag points to. Rule F3
// trusts only this answer: a local `docker images` or a build log can claim a digest the registry
// never received.
import { createHash } from 'node:crypto';
import { parseAuthChallenge } from './auth-challenge.js';
import { findCredentials } from './docker-credentials.js';
import { DOCKER_HUB, formatImageReference, isSha256Digest, parseImageReference } from './image-reference.js';
import { RegistryError } from './registry-errors.js';
import { isLoopbackHost, isSafeForCredentials, registryBaseUrl } from './registry-url.js';
/** Every manifest kind a pull can start from, multi-platform first (the digest people pin is the index's). */
export const MANIFEST_MEDIA_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
];
/** The digest a tag (or a pinned digest) resolves to in the registry. */
export async function resolveDigest(reference, options = {}) {
    const session = new RegistrySession(reference, options);
    const { ref } = session;
    const url = session.manifestUrl();
    let res = await session.send('HEAD', url);
    session.throwUnlessOk(res);
    let digest = res.headers.get('docker-content-digest');
    let size = numberOrNull(res.headers.get('content-length'));
    const mediaType = mediaTypeOf(res);
    if (digest === null || !isSha256Digest(digest)) {
        // No usable header (some proxies drop it): the digest is by definition the sha256 of the exact bytes.
        res = await session.send('GET', url);
        session.throwUnlessOk(res);
        const bytes = Buffer.from(await res.arrayBuffer());
        digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
        size = bytes.length;
    }
    if (ref.digest !== null && digest !== ref.digest) {
        throw new RegistryError('unexpected_response', `registry ${ref.registry} answered ${session.display} with a different manifest (${digest})`, session.display, { registry: ref.registry });
    }
    return { digest, media_type: mediaType, registry: ref.registry, repository: ref.repository, tag: ref.tag, size };
}
/** Whether the registry still holds the manifest a pinned reference (`…@sha256:…`) names. */
export async function manifestExists(reference, options = {}) {
    const session = new RegistrySession(reference, options);
    if (session.ref.digest === null) {
        throw new RegistryError('invalid_reference', `${session.display} is not pinned by digest (expected …@sha256:…)`, session.display);
    }
    const res = await session.send('HEAD', session.manifestUrl());
    if (res.status === 404)
        return false;
    session.throwUnlessOk(res);
    const digest = res.headers.get('docker-content-digest');
    return digest === null || digest === session.ref.digest;
}
const numberOrNull = (s) => (s === null || !/^\d+$/.test(s) ? null : Number(s));
const mediaTypeOf = (res) => res.headers.get('content-type')?.split(';')[0]?.trim() || null;
/** One resolution: the reference, and the authorization earned by answering a challenge, reused for the GET fallback. */
class RegistrySession {
    options;
    ref;
    display;
    authorization;
    lookup;
    constructor(reference, options) {
        this.options = options;
        this.ref = typeof reference === 'string' ? parseImageReference(reference) : reference;
        this.display = formatImageReference(this.ref);
    }
    manifestUrl() {
        return `${registryBaseUrl(this.ref.registry)}/v2/${this.ref.repository}/manifests/${this.ref.digest ?? this.ref.tag}`;
    }
    /** A request that answers one authentication challenge if the registry poses it. */
    async send(method, url) {
        const first = await this.fetch(url, { method, headers: this.headers() });
        if (first.status !== 401 || this.authorization !== undefined)
            return first;
        await first.body?.cancel();
        const challenge = parseAuthChallenge(first.headers.get('www-authenticate'));
        if (challenge === null) {
            throw this.error('unexpected_response', `registry ${this.ref.registry} answered 401 to ${this.display} without a usable WWW-Authenticate challenge`, 401);
        }
        this.authorization = await this.answer(challenge);
        return this.fetch(url, { method, headers: this.headers() });
    }
    throwUnlessOk(res) {
        if (res.ok)
            return;
        const { registry, repository, tag, digest } = this.ref;
        if (res.status === 404) {
            const what = digest !== null ? `manifest ${digest}` : `tag '${tag}'`;
            throw this.error('not_found', `image ${this.display} not found: registry ${registry} has no ${what} in repository ${repository}`, 404);
        }
        if (res.status === 401 || res.status === 403)
            throw this.authError(res.status);
        throw this.error('unexpected_response', `registry ${registry} answered HTTP ${res.status} ${res.statusText} for ${this.display}`, res.status);
    }
    headers() {
        const h = { Accept: MANIFEST_MEDIA_TYPES.join(', ') };
        if (this.authorization !== undefined)
            h.Authorization = this.authorization;
        return h;
    }
    async answer(challenge) {
        const { credentials } = await this.credentials();
        if (challenge.scheme === 'basic') {
            if (credentials?.kind !== 'basic')
                throw this.authError(401);
            return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
        }
        return `Bearer ${await this.bearerToken(challenge)}`;
    }
    /** Docker's token protocol: GET the realm (with basic credentials if any), or POST an identity token as an OAuth refresh token. */
    async bearerToken(challenge) {
        let realm;
        try {
            realm = new URL(challenge.realm);
        }
        catch {
            throw this.error('unexpected_response', `registry ${this.ref.registry} sent a token realm that is not a URL: ${challenge.realm}`, 401);
        }
        const { credentials } = await this.credentials();
        if (credentials !== null && !isSafeForCredentials(realm)) {
            throw this.error('auth_denied', `refusing to send credentials for ${this.display} to ${realm.origin}: token realms must be https`, 401);
        }
        const service = challenge.service;
        const scope = challenge.scope ?? `repository:${this.ref.repository}:pull`;
        let res;
        if (credentials?.kind === 'identity_token') {
            const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: 'skyloop', scope });
            if (service !== undefined)
                form.set('service', service);
            res = await this.fetch(realm.href, { method: 'POST', body: form });
        }
        else {
            if (service !== undefined)
                realm.searchParams.set('service', service);
            realm.searchParams.set('scope', scope);
            const headers = {};
            if (credentials?.kind === 'basic') {
                headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
            }
            res = await this.fetch(realm.href, { headers });
        }
        if (res.status === 401 || res.status === 403)
            throw this.authError(res.status);
        if (!res.ok) {
            throw this.error('unexpected_response', `token endpoint ${realm.origin} answered HTTP ${res.status} for ${this.display}`, res.status);
        }
        const body = (await res.json().catch(() => ({})));
        const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
        if (typeof token !== 'string' || token === '') {
            throw this.error('unexpected_response', `token endpoint ${realm.origin} returned no token for ${this.display}`, res.status);
        }
        return token;
    }
    async credentials() {
        this.lookup ??= await findCredentials(this.ref.registry, this.display, this.options);
        return this.lookup;
    }
    authError(status) {
        const login = this.ref.registry === DOCKER_HUB ? 'docker login' : `docker login ${this.ref.registry}`;
        const lookup = this.lookup;
        if (lookup?.credentials) {
            return this.error('auth_denied', `registry ${this.ref.registry} refused ${this.display} (HTTP ${status}) with the credentials from ${lookup.credentials.source}: ` +
                `check that the account may pull ${this.ref.repository}, or log in again with \`${login}\``, status);
        }
        const where = lookup ? ` and no credentials for it were found in ${lookup.configPath}` : '';
        // Docker Hub answers an anonymous pull of a repository that does not exist the same way as a private one.
        const hub = this.ref.registry === DOCKER_HUB ? ' (Docker Hub also answers this for a repository that does not exist)' : '';
        return this.error('auth_required', `registry ${this.ref.registry} requires authentication for ${this.display} (HTTP ${status})${where}${hub}: run \`${login}\``, status);
    }
    error(kind, message, status) {
        return new RegistryError(kind, message, this.display, { status, registry: this.ref.registry });
    }
    /**
     * Redirects are followed by hand: a hop to plain http off loopback could be answered by anyone on the
     * way, so a digest from there is refused; credentials go only to the registry's own origin.
     */
    async fetch(url, init) {
        const timeoutMs = this.options.timeoutMs ?? 10_000;
        const signal = AbortSignal.timeout(timeoutMs);
        const origin = new URL(url).origin;
        let at = new URL(url);
        for (let hops = 0;; hops++) {
            let res;
            try {
                const headers = at.origin === origin ? init.headers : undefined;
                res = await fetch(at, { ...init, headers, redirect: 'manual', signal });
            }
            catch (e) {
                throw this.error('unreachable', `registry ${this.ref.registry} is unreachable for ${this.display}: ${networkReason(e, timeoutMs)} (${at.origin})`);
            }
            const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
            if (location === null)
                return res;
            await res.body?.cancel();
            const next = new URL(location, at);
            if (next.protocol !== 'https:' && !(next.protocol === 'http:' && isLoopbackHost(next.host))) {
                throw this.error('unexpected_response', `registry ${this.ref.registry} redirected ${this.display} to ${next.origin}, plain http off this machine: a digest from there cannot be trusted`, res.status);
            }
            if (hops >= 5)
                throw this.error('unexpected_response', `registry ${this.ref.registry} redirected ${this.display} more than 5 times`, res.status);
            at = next;
        }
    }
}
/** Node's fetch hides the socket error in `cause`; name it the way a user would search for it. */
function networkReason(e, timeoutMs) {
    const err = e;
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
        return `no answer within ${timeoutMs / 1000} s`;
    const code = err.cause?.code;
    if (code === 'ECONNREFUSED')
        return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return 'DNS lookup failed';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
        return 'connection reset';
    return err.cause?.message ?? err.message;
}
