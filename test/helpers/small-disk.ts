// A real small filesystem for disk-full tests: a tmpfs mounted as root. Where mounting is not allowed the
// tests that need one are skipped, saying why.
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './paths.js';

export interface SmallDisk {
  dir: string;
  /** Free bytes as the filesystem reports them. */
  free(): number;
  /** Fill the disk until only about `bytes` remain free (rounded down to the 4 KiB page). */
  leave(bytes: number): void;
  /** Remove the filler. */
  release(): void;
  unmount(): void;
}

export function mountSmallDisk(sizeKiB: number): SmallDisk | string {
  const dir = tempDir('small-disk');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    return `cannot mount a tmpfs here (needs root; ${(e as Error).message.split('\n')[0]})`;
  }
  const filler = join(dir, '.filler');
  const free = () => {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  };
  return {
    dir,
    free,
    leave(bytes) {
      rmSync(filler, { force: true });
      const fd = openSync(filler, 'w');
      try {
        const chunk = Buffer.alloc(4096, 1);
        while (free() > bytes) writeSync(fd, chunk);
      } catch {
        /* full already */
      } finally {
        closeSync(fd);
      }
    },
    release: () => rmSync(filler, { force: true }),
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
