// Where an experiment lives on disk: the manifest (replaced atomically, under an inter-process lock) and
// the JSONL event log (appended). Killing the process at any instant leaves a manifest that parses and an
// event log whose lines all parse.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { EVENT_SCHEMA_VERSION, EventSchema } from '../factorial/events.js';
import { ManifestSchema } from '../factorial/manifest.js';
import { withFileLock } from './file-lock.js';
import { appendJsonl, readJsonl } from './jsonl-log.js';
export class ExperimentNotFoundError extends Error {
    name = 'ExperimentNotFoundError';
}
export class ExperimentStore {
    outputsDir;
    experimentId;
    manifestPath;
    eventsPath;
    constructor(outputsDir, experimentId) {
        this.outputsDir = outputsDir;
        this.experimentId = experimentId;
        this.manifestPath = join(outputsDir, `factorial_manifest_${experimentId}.json`);
        this.eventsPath = join(outputsDir, `factorial_events_${experimentId}.jsonl`);
    }
    exists() {
        return existsSync(this.manifestPath);
    }
    /** A consistent snapshot; needs no lock because the manifest is only ever replaced by rename. */
    read() {
        let text;
        try {
            text = readFileSync(this.manifestPath, 'utf8');
        }
        catch (e) {
            if (e.code === 'ENOENT') {
                throw new ExperimentNotFoundError(`no experiment '${this.experimentId}' (no ${this.manifestPath}); launch it first with skyloop factorial launch <config.yaml>`);
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
    async update(change) {
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
    async create(manifest, events) {
        mkdirSync(this.outputsDir, { recursive: true });
        return withFileLock(this.manifestPath, async () => {
            if (this.exists())
                return this.read();
            this.appendUnlocked(events);
            await this.writeUnlocked(manifest);
            return manifest;
        });
    }
    async appendEvents(events) {
        await withFileLock(this.manifestPath, async () => this.appendUnlocked(events));
    }
    /**
     * Append without the lock, synchronously: for an event that must be on disk in the same tick as the
     * action it records (the pid of a just-spawned launch). A single O_APPEND write does not interleave with
     * other appenders; the tail was repaired by the locked operation that started this run.
     */
    appendEventsNow(events) {
        this.appendUnlocked(events, false);
    }
    readEvents() {
        return readJsonl(this.eventsPath, EventSchema);
    }
    async writeUnlocked(manifest) {
        await writeFileAtomic(this.manifestPath, JSON.stringify(manifest, null, 2) + '\n', { fsync: true });
    }
    appendUnlocked(events, repair = true) {
        const ts = new Date().toISOString();
        appendJsonl(this.eventsPath, events.map((e) => ({ schema_version: EVENT_SCHEMA_VERSION, ts, experiment_id: this.experimentId, ...e })), { repair });
    }
}
