/** A mistake in how the command was called: printed with a usage hint, exit code 2. */
export class UsageError extends Error {
    name = 'UsageError';
}
