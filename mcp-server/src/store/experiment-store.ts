// Where an experiment lives on disk: the manifest (replaced atomically, under an inter-process lock) and
// the JSONL event log (appended). Killing the process at any instant leaves a manifest that parses and an
// event log whose lines all parse; a full disk leaves the previous manifest and no event for the change.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { EVENT_SCHEMA_VERSION, EventSchema, type EventPayload, type ExperimentEvent } from '../factorial/events.js';
import { ExperimentIdSchema } from '../factorial/experiment-config.js';
import { MANIFEST_SCHEMA_VERSION, ManifestSchema, type Manifest } from '../factorial/manifest.js';
import { redactDeep } from '../redaction/redact.js';
import { stageFile } from './durable-file.js';
import { withFileLock } from './file-lock.js';
import { appendJsonl, readJsonl } from './jsonl-log.js';
import { InvalidExperimentIdError, ManifestUnreadableError } from './store-errors.js';

export class ExperimentNotFoundError extends Error {
  override readonly name = 'ExperimentNotFoundError';
}

/**
 * `outputsDir/<name>`, refusing any name that would resolve outside `outputsDir`: experiment ids come from
 * CLI and MCP arguments, and an MCP caller is an agent reading untrusted text.
 */
export function outputsPath(outputsDir: string, name: string): string {
  const root = resolve(outputsDir);
  const path = resolve(root, name);
  if (!path.startsWith(root + sep)) throw new InvalidExperimentIdError(`${JSON.stringify(name)} would be outside the outputs directory ${root}`);
  return path;
}

/** Checks an experiment id against the config's rule; the message names the id. */
export function checkExperimentId(id: string): string {
  const parsed = ExperimentIdSchema.safeParse(id);
  if (!parsed.success) throw new InvalidExperimentIdError(`invalid experiment id ${JSON.stringify(id)}: ${parsed.error.issues[0]?.message}`);
  return id;
}

export class ExperimentStore {
  readonly manifestPath: string;
  readonly eventsPath: string;

  constructor(
    readonly outputsDir: string,
    readonly experimentId: string,
  ) {
    checkExperimentId(experimentId);
    this.manifestPath = outputsPath(outputsDir, `factorial_manifest_${experimentId}.json`);
    this.eventsPath = outputsPath(outputsDir, `factorial_events_${experimentId}.jsonl`);
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
      throw new ManifestUnreadableError(this.manifestPath, `cannot be read (${(e as Error).message})`);
    }
    return parseManifest(this.manifestPath, text, this.experimentId);
  }

  /**
   * Read-modify-write under the lock. `change` mutates the manifest and returns the events to log. The new
   * manifest is written and verified first, then the events appended, then the manifest renamed into place:
   * a full disk fails before either is visible, so the log never records a change the manifest did not get.
   */
  async update<T>(change: (m: Manifest) => { events: EventPayload[]; result: T }): Promise<T> {
    return withFileLock(this.manifestPath, async () => {
      const manifest = this.read();
      const { events, result } = change(manifest);
      manifest.updated_at = new Date().toISOString();
      this.commit(manifest, events);
      return result;
    });
  }

  /** Create the manifest if it does not exist yet; returns the one on disk either way. */
  async create(manifest: Manifest, events: EventPayload[]): Promise<Manifest> {
    mkdirSync(this.outputsDir, { recursive: true });
    return withFileLock(this.manifestPath, async () => {
      if (this.exists()) return this.read();
      this.commit(manifest, events);
      return manifest;
    });
  }

  async appendEvents(events: EventPayload[]): Promise<void> {
    await withFileLock(this.manifestPath, async () => void this.appendUnlocked(events));
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
    return readJsonl(this.eventsPath, EventSchema);
  }

  private commit(manifest: Manifest, events: EventPayload[]): void {
    const staged = stageFile(this.manifestPath, JSON.stringify(redactDeep(manifest), null, 2) + '\n');
    let undo: () => void;
    try {
      undo = this.appendUnlocked(events);
    } catch (e) {
      staged.abort();
      throw e;
    }
    try {
      staged.commit();
    } catch (e) {
      undo();
      throw e;
    }
  }

  private appendUnlocked(events: EventPayload[], repair = true): () => void {
    const ts = new Date().toISOString();
    return appendJsonl(
      this.eventsPath,
      events.map((e) => ({ schema_version: EVENT_SCHEMA_VERSION, ts, experiment_id: this.experimentId, ...e })),
      { repair },
    );
  }
}

/** The manifest in `text`, or an error that names the file and says what is wrong with it. */
export function parseManifest(file: string, text: string, experimentId?: string): Manifest {
  const bytes = Buffer.byteLength(text);
  if (text.trim() === '') throw new ManifestUnreadableError(file, `is empty (${bytes} bytes): not a manifest`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestUnreadableError(file, `is not valid JSON (${bytes} bytes, cut short or damaged?): ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ManifestUnreadableError(file, 'is valid JSON but not a manifest (expected an object)');
  }
  const version = (json as { schema_version?: unknown }).schema_version;
  if (version !== MANIFEST_SCHEMA_VERSION) {
    throw new ManifestUnreadableError(
      file,
      version === undefined
        ? 'has no schema_version: not a skyloop manifest'
        : `has schema_version ${JSON.stringify(version)}; this skyloop reads version ${MANIFEST_SCHEMA_VERSION}`,
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ManifestUnreadableError(file, `is not a valid manifest at ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`);
  }
  if (experimentId !== undefined && parsed.data.experiment_id !== experimentId) {
    throw new ManifestUnreadableError(file, `belongs to experiment '${parsed.data.experiment_id}', not '${experimentId}'`);
  }
  return parsed.data;
}
