// The `WWW-Authenticate` header of a registry's 401: which scheme to answer with, and for Bearer where
// to get the token (the Docker token protocol, distribution's docs/spec/auth/token.md).
const PARAM = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
/** Null when the header is missing or names a scheme registries do not use. */
export function parseAuthChallenge(header) {
    if (!header)
        return null;
    const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
    if (!m)
        return null;
    const params = {};
    for (const p of (m[2] ?? '').matchAll(PARAM)) {
        params[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
    }
    const scheme = (m[1] ?? '').toLowerCase();
    if (scheme === 'bearer' && params.realm)
        return { scheme, realm: params.realm, service: params.service, scope: params.scope };
    if (scheme === 'basic')
        return { scheme, realm: params.realm };
    return null;
}
