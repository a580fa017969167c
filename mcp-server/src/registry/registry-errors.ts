// Typed errors of the registry adapter. Every message names the image reference, so the refusal a
// user reads under rule F3 says which image could not be verified and what to do about it.

export type RegistryErrorKind =
  | 'invalid_reference' // not `[registry/]repository[:tag][@sha256:…]`
  | 'not_found' // no such tag, digest or repository (404, MANIFEST_UNKNOWN, NAME_UNKNOWN)
  | 'auth_required' // 401 and no credentials to answer it with
  | 'auth_denied' // 401/403 with the credentials we sent
  | 'credentials_unreadable' // the Docker config or its credential helper failed
  | 'unreachable' // connection refused, DNS, TLS, timeout
  | 'unexpected_response'; // anything else a registry should not answer

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    /** The image reference as the caller gave it. */
    readonly reference: string,
    readonly details: { status?: number | undefined; registry?: string | undefined; code?: string | undefined } = {},
  ) {
    super(message);
  }
}
