// Replacing a file so that a crash or a full disk at any instant leaves either the old content or the new,
// never a prefix: the whole text goes to a temporary file next to it (every byte accounted for), is flushed
// to the disk, read back and compared, and only then renamed over the old file.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StoreWriteError } from './store-errors.js';

export interface StagedFile {
  /** Put the staged content in place (atomic rename, then the directory entry is flushed). */
  commit(): void;
  /** Drop the staged content; the old file stays. */
  abort(): void;
}

/** Write `text` next to `path` and verify it, without replacing `path` yet. */
export function stageFile(path: string, text: string): StagedFile {
  const data = Buffer.from(text, 'utf8');
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fail = (e: unknown): never => {
    rmSync(temp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new StoreWriteError(path, err.code, err.message);
  };
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      // writeSync may write less than asked (a nearly full disk does exactly that): loop until every byte is down.
      for (let off = 0; off < data.length; ) {
        const n = writeSync(fd, data, off, data.length - off);
        if (n <= 0) throw Object.assign(new Error(`short write at byte ${off} of ${data.length}`), { code: 'EIO' });
        off += n;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (!readFileSync(temp).equals(data)) {
      throw Object.assign(new Error(`read-back of ${temp} differs from what was written`), { code: 'EIO' });
    }
  } catch (e) {
    fail(e);
  }
  let done = false;
  return {
    commit() {
      if (done) return;
      done = true;
      try {
        renameSync(temp, path);
      } catch (e) {
        fail(e);
      }
      syncDirectory(dirname(path));
    },
    abort() {
      if (done) return;
      done = true;
      rmSync(temp, { force: true });
    },
  };
}

/** Replace `path` with `text`, atomically and verified. */
export function writeFileDurably(path: string, text: string): void {
  stageFile(path, text).commit();
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems cannot fsync a directory; the rename itself is still atomic.
  }
}
