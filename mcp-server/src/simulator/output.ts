// Buffered stdout/stderr that respects backpressure, so a 200k-line log streams in bounded memory.

import { out } from './ansi.js';

const CHUNK = 64 * 1024;

export class Writer {
  private buf: string[] = [];
  private size = 0;
  private captured: string[] | undefined;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Collect output in memory instead of writing it (fault mode `truncated`). */
  capture(): void {
    this.captured = [];
  }

  takeCaptured(): string {
    const text = (this.captured ?? []).join('') + this.buf.join('');
    this.captured = undefined;
    this.buf = [];
    this.size = 0;
    return text;
  }

  /** Queue one line (colour codes dropped when colour is off). */
  async line(text = ''): Promise<void> {
    await this.raw(`${out(text)}\n`);
  }

  /** Queue one line SkyPilot's client relays from its API server (it keeps its colours through a pipe). */
  async relayed(text = ''): Promise<void> {
    await this.raw(`${out(text, true)}\n`);
  }

  async raw(text: string): Promise<void> {
    this.buf.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const data = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (this.captured) {
      this.captured.push(data);
      return;
    }
    if (!this.stream.write(data)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.removeListener('drain', done);
          this.stream.removeListener('error', done);
          this.stream.removeListener('close', done);
          resolve();
        };
        this.stream.once('drain', done);
        this.stream.once('error', done);
        this.stream.once('close', done);
      });
    }
  }
}

export const stdout = new Writer(process.stdout);
export const stderr = new Writer(process.stderr);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
