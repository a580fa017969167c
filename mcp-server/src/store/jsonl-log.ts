// An append-only JSONL file that survives a crash at any instant: each batch of lines is one write, and a
// last line cut by a crash is dropped before the next append, so every line of the file parses.
// A write the disk cannot complete (full disk) is rolled back to the previous end, so no half batch stays.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, truncateSync, writeSync } from 'node:fs';
import type { z } from 'zod';
import { redactDeep } from '../redaction/redact.js';
import { StoreWriteError } from './store-errors.js';

/** Append records as lines; returns an undo that cuts the file back to where it ended before. */
export function appendJsonl(path: string, records: object[], { repair = true } = {}): () => void {
  if (records.length === 0) return () => {};
  if (repair) repairTail(path);
  const data = Buffer.from(records.map((r) => JSON.stringify(redactDeep(r))).join('\n') + '\n', 'utf8');
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (e) {
    throw new StoreWriteError(path, (e as NodeJS.ErrnoException).code, (e as Error).message);
  }
  const start = fstatSync(fd).size;
  try {
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
  } catch (e) {
    try {
      ftruncateSync(fd, start);
    } catch {
      /* the repair at the next append drops a cut line */
    }
    throw new StoreWriteError(path, (e as NodeJS.ErrnoException).code, (e as Error).message);
  } finally {
    closeSync(fd);
  }
  return () => truncateSync(path, start);
}

/** Every record that parses and validates; a cut last line (not yet repaired) is skipped. */
export function readJsonl<S extends z.ZodType>(path: string, schema: S): z.output<S>[] {
  if (!existsSync(path)) return [];
  const out: z.output<S>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(schema.parse(JSON.parse(line)));
    } catch {
      /* a line cut by a crash */
    }
  }
  return out;
}

function repairTail(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, chunk, 0, chunk.length, size - chunk.length);
    const cut = chunk.lastIndexOf(0x0a);
    ftruncateSync(fd, cut < 0 ? size - chunk.length : size - chunk.length + cut + 1);
  } finally {
    closeSync(fd);
  }
}
