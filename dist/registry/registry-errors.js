// Typed errors of the registry adapter. Every message names the image reference, so the refusal a
// user reads under rule F3 says which image could not be verified and what to do about it.
export class RegistryError extends Error {
    kind;
    reference;
    details;
    name = 'RegistryError';
    constructor(kind, message, 
    /** The image reference as the caller gave it. */
    reference, details = {}) {
        super(message);
        this.kind = kind;
        this.reference = reference;
        this.details = details;
    }
}
