// Where an experiment lives on disk: the manifest (replaced atomically, under an inter-process lock) and
// the JSONL event log (appended). Killing the process at any instant leaves a manifest that parses and an
// event log whose lines all parse.
import { appendFileSync, closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { EVENT_SCHEMA_VERSION, EventSchema, type EventPayload, type ExperimentEvent } from '../factorial/events.js';
import { ManifestSchema, type Manifest } from '../factorial/manifest.js';
import { withFileLock } from './file-lock.js';

export class ExperimentNotFoundError extends Error {
  override readonly name = 'ExperimentNotFoundError';
}

export class ExperimentStore {
  readonly manifestPath: string;
  readonly eventsPath: string;

  constructor(
    readonly outputsDir: string,
    readonly experimentId: string,
  ) {
    this.manifestPath = join(outputsDir, `factorial_manifest_${experimentId}.json`);
    this.eventsPath = join(outputsDir, `factorial_events_${experimentId}.jsonl`);
  }

  exists(): boolean {
    return existsSync(this.manifestPath);
  }

  /** A consistent snapshot; needs no lock because the manifest is only ever replaced by rename. */
  read(): Manifest {
    let text: string;
    try {
      text = readFileSync(this.manifestPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ExperimentNotFoundError(
          `no experiment '${this.experimentId}' (no ${this.manifestPath}); launch it first with skyloop factorial launch <config.yaml>`,
        );
      }
      throw e;
    }
    const parsed = ManifestSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${this.manifestPath}: not a valid manifest at ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return parsed.data;
  }

  /**
   * Read-modify-write under the lock. `change` mutates the manifest and returns the events to log;
   * events are appended before the manifest is replaced, so the log never misses a recorded change.
   */
  async update<T>(change: (m: Manifest) => { events: EventPayload[]; result: T }): Promise<T> {
    return withFileLock(this.manifestPath, async () => {
      const manifest = this.read();
      const { events, result } = change(manifest);
      this.appendUnlocked(events);
      manifest.updated_at = new Date().toISOString();
      await this.writeUnlocked(manifest);
      return result;
    });
  }

  /** Create the manifest if it does not exist yet; returns the one on disk either way. */
  async create(manifest: Manifest, events: EventPayload[]): Promise<Manifest> {
    mkdirSync(this.outputsDir, { recursive: true });
    return withFileLock(this.manifestPath, async () => {
      if (this.exists()) return this.read();
      this.appendUnlocked(events);
      await this.writeUnlocked(manifest);
      return manifest;
    });
  }

  async appendEvents(events: EventPayload[]): Promise<void> {
    await withFileLock(this.manifestPath, async () => this.appendUnlocked(events));
  }

  /**
   * Append without the lock, synchronously: for an event that must be on disk in the same tick as the
   * action it records (the pid of a just-spawned launch). A single O_APPEND write does not interleave with
   * other appenders; the tail was repaired by the locked operation that started this run.
   */
  appendEventsNow(events: EventPayload[]): void {
    this.appendUnlocked(events, false);
  }

  readEvents(): ExperimentEvent[] {
    if (!existsSync(this.eventsPath)) return [];
    const lines = readFileSync(this.eventsPath, 'utf8').split('\n');
    const events: ExperimentEvent[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        events.push(EventSchema.parse(JSON.parse(line)));
      } catch {
        // A line cut by a crash is repaired on the next append; until then it is not an event.
      }
    }
    return events;
  }

  private async writeUnlocked(manifest: Manifest): Promise<void> {
    await writeFileAtomic(this.manifestPath, JSON.stringify(manifest, null, 2) + '\n', { fsync: true });
  }

  private appendUnlocked(events: EventPayload[], repair = true): void {
    if (events.length === 0) return;
    if (repair) this.repairTail();
    const ts = new Date().toISOString();
    const text = events
      .map((e) => JSON.stringify({ schema_version: EVENT_SCHEMA_VERSION, ts, experiment_id: this.experimentId, ...e }))
      .join('\n');
    // One write call per batch: after a crash a line is either whole or cut at the end (then repaired).
    appendFileSync(this.eventsPath, text + '\n');
  }

  /** Drop a last line left unfinished by a crash, so every line of the log parses. */
  private repairTail(): void {
    if (!existsSync(this.eventsPath)) return;
    const fd = openSync(this.eventsPath, 'r+');
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
}
