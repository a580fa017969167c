// Image references as Docker reads them (`[registry/]repository[:tag][@sha256:…]`, optionally
// prefixed `docker:` as in a SkyPilot `image_id`), so skyloop asks the same registry for the same
// manifest that `docker pull` and SkyPilot would.
import { RegistryError } from './registry-errors.js';
export const DOCKER_HUB = 'registry-1.docker.io';
// Grammar from distribution's reference package (reference/regexp.go), simplified to sha256 digests.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::\d{1,5})?$/;
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', DOCKER_HUB]);
export const isSha256Digest = (s) => DIGEST.test(s);
export const isTag = (s) => TAG.test(s);
/** `a/b.c/d_e`: lowercase path components, as the registry API's `<name>`. */
export const isRepositoryName = (s) => s.length <= 255 && s.split('/').every((c) => PATH_COMPONENT.test(c));
export function parseImageReference(input) {
    const text = input.startsWith('docker:') ? input.slice('docker:'.length) : input;
    const invalid = (why) => new RegistryError('invalid_reference', `'${input}' is not a valid image reference: ${why}`, input);
    if (text === '')
        throw invalid('it is empty');
    const at = text.indexOf('@');
    const digest = at >= 0 ? text.slice(at + 1) : null;
    const name = at >= 0 ? text.slice(0, at) : text;
    if (digest !== null && !DIGEST.test(digest))
        throw invalid(`digest '${digest}' is not sha256:<64 lowercase hex>`);
    // The first segment names a registry only when it looks like a host: `ubuntu/x` is a Docker Hub repository.
    const slash = name.indexOf('/');
    const first = slash >= 0 ? name.slice(0, slash) : '';
    const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
    let registry = hasRegistry ? first : DOCKER_HUB;
    let rest = hasRegistry ? name.slice(slash + 1) : name;
    if (hasRegistry && !HOST.test(registry))
        throw invalid(`registry '${registry}' is not a host[:port]`);
    if (HUB_ALIASES.has(registry))
        registry = DOCKER_HUB;
    // A tag's colon can only come after the last slash (a registry port's colon is already gone).
    let tag = null;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw invalid(`tag '${tag}' may use only letters, digits, '_', '.', '-' (at most 128, not starting with '.' or '-')`);
    }
    if (rest === '')
        throw invalid('the repository name is missing');
    for (const component of rest.split('/')) {
        if (!PATH_COMPONENT.test(component)) {
            throw invalid(`repository component '${component}' must be lowercase letters and digits, separated by '.', '_', '__' or '-'`);
        }
    }
    if (registry === DOCKER_HUB && !rest.includes('/'))
        rest = `library/${rest}`;
    if (rest.length > 255)
        throw invalid('the repository name is longer than 255 characters');
    if (tag === null && digest === null)
        tag = 'latest';
    return { registry, repository: rest, tag, digest };
}
/** `registry/repository` in the short form people type (`ubuntu`, not `registry-1.docker.io/library/ubuntu`). */
export function formatName(ref) {
    if (ref.registry !== DOCKER_HUB)
        return `${ref.registry}/${ref.repository}`;
    return ref.repository.startsWith('library/') && ref.repository.split('/').length === 2 ? ref.repository.slice(8) : ref.repository;
}
/** `docker:name[:tag][@digest]`, the form SkyPilot's `image_id` takes. */
export function formatImageReference(ref) {
    return `docker:${formatName(ref)}${ref.tag !== null ? `:${ref.tag}` : ''}${ref.digest !== null ? `@${ref.digest}` : ''}`;
}
/** The pinned form `docker:name@sha256:…`: launches with it run exactly the verified image, whatever the tag points to later. */
export function withDigest(ref, digest) {
    const parsed = typeof ref === 'string' ? parseImageReference(ref) : ref;
    if (!DIGEST.test(digest))
        throw new RegistryError('invalid_reference', `'${digest}' is not a sha256 digest`, formatImageReference(parsed));
    return formatImageReference({ ...parsed, tag: null, digest });
}
