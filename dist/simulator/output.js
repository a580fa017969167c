// Buffered stdout/stderr that respects backpressure, so a 200k-line log streams in bounded memory.
import { out } from './ansi.js';
const CHUNK = 64 * 1024;
export class Writer {
    stream;
    buf = [];
    size = 0;
    captured;
    constructor(stream) {
        this.stream = stream;
    }
    /** Collect output in memory instead of writing it (fault mode `truncated`). */
    capture() {
        this.captured = [];
    }
    takeCaptured() {
        const text = (this.captured ?? []).join('') + this.buf.join('');
        this.captured = undefined;
        this.buf = [];
        this.size = 0;
        return text;
    }
    /** Queue one line (colour codes dropped when colour is off). */
    async line(text = '') {
        await this.raw(`${out(text)}\n`);
    }
    /** Queue one line SkyPilot's client relays from its API server (it keeps its colours through a pipe). */
    async relayed(text = '') {
        await this.raw(`${out(text, true)}\n`);
    }
    async raw(text) {
        this.buf.push(text);
        this.size += text.length;
        if (this.size >= CHUNK)
            await this.flush();
    }
    async flush() {
        if (this.buf.length === 0)
            return;
        const data = this.buf.join('');
        this.buf = [];
        this.size = 0;
        if (this.captured) {
            this.captured.push(data);
            return;
        }
        if (!this.stream.write(data)) {
            await new Promise((resolve) => {
                const done = () => {
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
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
