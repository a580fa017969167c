// Errors of the on-disk store. Each names the file and says what is wrong with it, so the CLI prints one
// line (no stack trace) and an agent can tell the user what to do; none of them ever leads to a rewrite.
/** The manifest exists but cannot be used: not JSON, empty, truncated, wrong schema or version. */
export class ManifestUnreadableError extends Error {
    file;
    problem;
    name = 'ManifestUnreadableError';
    constructor(file, problem) {
        super(`${file}: ${problem}; skyloop leaves the file as it is (restore it from a backup, or move it aside to start the experiment anew)`);
        this.file = file;
        this.problem = problem;
    }
}
/** A write that could not complete; the previous content of the file is intact. */
export class StoreWriteError extends Error {
    file;
    code;
    name = 'StoreWriteError';
    constructor(file, code, detail) {
        super(code === 'ENOSPC' || code === 'EDQUOT'
            ? `${file}: the disk is full (${code}); nothing was changed, the previous content is intact: free some space and run the command again`
            : `${file}: could not be written (${detail}); nothing was changed, the previous content is intact`);
        this.file = file;
        this.code = code;
    }
}
/** An experiment id that does not satisfy the config's rule, or a path that would leave the outputs dir. */
export class InvalidExperimentIdError extends Error {
    name = 'InvalidExperimentIdError';
}
