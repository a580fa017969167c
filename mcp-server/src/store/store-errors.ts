// Errors of the on-disk store. Each names the file and says what is wrong with it, so the CLI prints one
// line (no stack trace) and an agent can tell the user what to do; none of them ever leads to a rewrite.

/** The manifest exists but cannot be used: not JSON, empty, truncated, wrong schema or version. */
export class ManifestUnreadableError extends Error {
  override readonly name = 'ManifestUnreadableError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}; skyloop leaves the file as it is (restore it from a backup, or move it aside to start the experiment anew)`);
  }
}

/** A write that could not complete; the previous content of the file is intact. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(
      code === 'ENOSPC' || code === 'EDQUOT'
        ? `${file}: the disk is full (${code}); nothing was changed, the previous content is intact: free some space and run the command again`
        : `${file}: could not be written (${detail}); nothing was changed, the previous content is intact`,
    );
  }
}

/** An experiment id that does not satisfy the config's rule, or a path that would leave the outputs dir. */
export class InvalidExperimentIdError extends Error {
  override readonly name = 'InvalidExperimentIdError';
}
