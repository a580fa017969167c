/** Version of every `--json` output of the CLI (results, refusals and errors alike). */
export const CLI_JSON_SCHEMA_VERSION = 1;
/** A mistake in how the command was called: printed with a usage hint, exit code 2. */
export class UsageError extends Error {
    name = 'UsageError';
    /** The command whose usage was wrong (`factorial`), so the hint can name its --help. */
    command = null;
}
/** A user mistake the message fully explains (a bad file, a missing binary): no stack trace, exit code 1. */
export class CliError extends Error {
    name = 'CliError';
}
/** One `--json` result: the object with `schema_version` first, pretty-printed, one line at the end. */
export const cliJson = (o) => JSON.stringify({ schema_version: CLI_JSON_SCHEMA_VERSION, ...o }, null, 2) + '\n';
