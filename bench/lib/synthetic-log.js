// A synthetic training log of a given size, written in 1 MB blocks (never held in memory whole).
// Shared by the analyze-logs benchmark and the memory test.
import { Buffer } from 'node:buffer';
import { closeSync, openSync, writeSync } from 'node:fs';

/** Writes about `bytes` bytes of progress lines to `path`, then `tail`. */
export function writeSyntheticLog(path, bytes, tail) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < 1 << 20; i++) {
    const line = `(train, pid=4242) epoch ${i % 90} step ${i}/1000000 | loss 0.${(i * 7919) % 10000} | lr 3.0e-04 | grad_norm 1.${i % 97} | 1204 samples/s`;
    lines.push(line);
    size += line.length + 1;
  }
  const block = Buffer.from(lines.join('\n') + '\n');
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) writeSync(fd, block);
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}
