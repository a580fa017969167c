// The agent's own classification of a failure the engine was not confident about: recorded on the failure as
// the agent's (the engine's category kept beside it), so the aggregation, the event log and the report say who
// decided. Only the current batch's diagnosed failures can be classified, and only into known categories.
import { fingerprintOf } from '../diagnosis/fingerprint.js';
import { redact } from '../redaction/redact.js';
import { currentAttempt, currentBatch, findEntry, syncEntry } from './manifest.js';
export async function recordClassifications(store, classifications, library) {
    for (const c of classifications) {
        if (!library.byName.has(c.category)) {
            throw new Error(`classification of ${c.condition}: unknown category ${c.category} (one of ${library.categories.map((k) => k.id).join(', ')})`);
        }
    }
    return store.update((m) => {
        const batch = currentBatch(m);
        const events = classifications.map((c) => {
            const entry = findEntry(m, c.condition);
            const a = currentAttempt(entry);
            if (!a || a.batch !== batch || !a.failure || a.job_id === null)
                throw new Error(`classification of ${c.condition}: it has no diagnosed failure in batch ${batch}`);
            const category = library.byName.get(c.category);
            const line = redact(c.evidence);
            const engineCategory = a.failure.classified_by === 'agent' ? a.failure.engine_category : a.failure.category;
            a.failure = {
                ...a.failure,
                category: category.id,
                fixability: category.fixability,
                fingerprint: fingerprintOf(category.id, line),
                line,
                classified_by: 'agent',
                engine_category: engineCategory ?? a.failure.category,
                agent_reason: c.reason,
            };
            syncEntry(entry);
            return { type: 'diagnosis', condition: c.condition, job_id: a.job_id, category: category.id, fingerprint: a.failure.fingerprint, classified_by: 'agent' };
        });
        return { events, result: m };
    });
}
