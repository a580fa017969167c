// The vocabulary fallback: when no needle of a specific category matched (the log has a bare traceback,
// only SkyPilot's framing lines, a status, or nothing), the general wording of a category in the last lines
// of the log (instructions/failure-patterns.yaml `vocabulary:`) names a likely cause. A guess from words is
// never `high`: it is below every needle and hands the agent a candidate to judge.
//
// What is not read, because its words say nothing about this failure: SkyPilot's own wrapper lines (every
// job log says "job will not be killed"), pip's and tqdm's chatter, a traceback's frames and source lines (a
// path through `torch/cuda/memory.py`), warnings, bash's `set -x` trace, and lines a `|| true` guard covers.
import { Buffer } from 'node:buffer';
import { cleanLine } from '../sky/sky-output-text.js';
import { stripRankPrefix, stripRayPrefix } from './fingerprint.js';
/** The end of the log the fallback reads: at most this many lines, and at most TAIL_BYTES of them. */
export const TAIL_LINES = 300;
export const TAIL_BYTES = 64 * 1024;
const MAX_LINE_CHARS = 4_000;
const NEWLINE = 10;
/** The reason of every answer the fallback gives starts with this (the eval's ablation keys on it). */
export const VOCABULARY_REASON = 'no specific pattern matched; the wording of';
// SkyPilot's own lines around a job (sky/backends/cloud_vm_ray_backend.py, sky/jobs/controller.py,
// sky/jobs/recovery_strategy.py, sky/skylet/log_lib.py): printed for every job, whatever failed.
const WRAPPER = [
    'Job started. Streaming logs',
    'Waiting for task resources on',
    'failed with return code list',
    "'s setup failed",
    'Job finished (status:',
    'Submitted managed job',
    'Started monitoring.',
    'Retrying to launch the cluster',
    'Failed to launch a cluster with error',
    'Managed job reached max retries',
    'Provision prechecks failed',
    'Cluster launch completed in',
    'Managed job cluster launched.',
    'failed with status: JobStatus.',
    'The user job failed',
    '== Logs of the user job',
    '== End of logs',
    'will not be retried',
    'To keep retrying until the cluster is up',
    'Reasons for provision failures',
    'View logs: sky api logs',
    'Trying other potential resources',
];
const NOISE = [
    /^\s*(?:Collecting|Downloading|Requirement already satisfied|Installing collected packages|Successfully installed|Using cached|Obtaining|Building wheel|Created wheel|Stored in directory|Attempting uninstall|Found existing installation|Uninstalling|Successfully uninstalled)\b/,
    /\d(?:it\/s|s\/it)\]/, // tqdm bars
    /\bNCCL INFO\b/,
    /\b\w*Warning: /, // Python warnings: printed, not raised
    /^\s*\[?WARN(?:ING)?\]?[: ]/i,
    /^\++ /, // bash's trace of the command, not its output
    /^Traceback \(most recent call last\):/,
    /^(?:The above exception was the direct cause|During handling of the above exception)/,
];
const FRAME = /^\s*File "/;
// SkyPilot's logger prefix (`I 06-03 14:00:13.396 PID=2075 controller.py:192] `): its file name is not the message.
const SKY_LOGGER = /^[DIWEC] \d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: PID=\d+)? [\w.-]+:\d+\] /;
// Paths: a `memory.py` or `/data/oom_tests/` in a path is not what went wrong (URLs such as s3://… stay, and
// so do TensorFlow's device names, `/job:localhost/replica:0/task:0/device:GPU:0`, whose segments hold a colon).
const ABSOLUTE_PATH = /(^|[\s"'(=])(?:~|\.{1,2})?\/[\w.@+-]+(?:\/[\w.@+-]+)*(?::\d+)*(?![\w.@+-]|:[A-Za-z])/g;
const PYTHON_FILE = /[\w.-]*(?:\/[\w.-]+)*\.py\b/g;
/** Keeps the last TAIL_BYTES of a log, cut at a line start: `prev` is the kept tail, `buf` whole new lines. */
export function keepTail(prev, buf) {
    const all = buf.length >= TAIL_BYTES || prev.length === 0 ? buf : Buffer.concat([prev, buf]);
    if (all.length <= TAIL_BYTES)
        return all === buf ? Buffer.from(buf) : all;
    const cut = all.indexOf(NEWLINE, all.length - TAIL_BYTES);
    // One line longer than the whole tail: its last bytes still carry its message.
    return Buffer.from(cut < 0 ? all.subarray(all.length - TAIL_BYTES) : all.subarray(cut + 1));
}
/** The tail's lines, cleaned as the engine cleans them, numbered so that the last one is `lastLine`. */
export function tailLines(tail, lastLine) {
    let text = tail.toString('utf8');
    if (text.endsWith('\n'))
        text = text.slice(0, -1);
    const raw = text === '' ? [] : text.split('\n').slice(-TAIL_LINES);
    return raw.map((l, i) => ({
        line_number: lastLine - raw.length + 1 + i,
        text: stripRankPrefix(stripRayPrefix(cleanLine(l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS / 2)} … ${l.slice(-MAX_LINE_CHARS / 2)}` : l))),
    }));
}
/** The lines whose words can name the failure, each reduced to what its words say (paths, logger prefix gone). */
export function readableLines(lines, library, skip = () => false) {
    const framing = library.categories.flatMap((c) => c.detect.any.filter((n) => n.context).map((n) => n.text));
    const out = [];
    let inFrames = false;
    for (const l of lines) {
        const text = l.text;
        if (FRAME.test(text)) {
            inFrames = true;
            continue;
        }
        // The source line Python prints under a frame is code, not a message.
        if (inFrames && /^\s/.test(text))
            continue;
        inFrames = false;
        if (text.trim() === '' || skip(l.line_number))
            continue;
        if (WRAPPER.some((w) => text.includes(w)) || framing.some((f) => text.includes(f)) || NOISE.some((re) => re.test(text)))
            continue;
        let words = text.replace(SKY_LOGGER, '');
        words = words.replace(ABSOLUTE_PATH, (_m, before) => `${before} `).replace(PYTHON_FILE, ' ');
        out.push({ line_number: l.line_number, text: words });
    }
    return out;
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A whole-word match: a part that begins or ends with a letter or digit must not be inside a longer word. */
const wordRe = (part) => new RegExp(`${/^\w/.test(part) ? '(?<![a-z0-9_])' : ''}${escape(part)}${/\w$/.test(part) ? '(?![a-z0-9_])' : ''}`);
export const termParts = (term) => term.toLowerCase().split(' + ').map((p) => p.trim());
const compiled = new WeakMap();
function compile(library) {
    let v = compiled.get(library);
    if (!v) {
        v = library.vocabulary.map((e) => ({ category: e.category, terms: e.terms.map((t) => ({ text: t, parts: termParts(t).map(wordRe) })) }));
        compiled.set(library, v);
    }
    return v;
}
/**
 * The category whose wording the readable lines use most: each distinct term counts its number of parts,
 * twice on the line that ends the last traceback (the exception's own message). Only categories that `fit`
 * (the job's status) are considered; ties go to the higher priority. `medium` when the words of two terms
 * or the exception line agree and no other category scores as much, else `low`.
 */
export function guessFromVocabulary(lines, library, opts = {}) {
    const fits = opts.fits ?? (() => true);
    const scored = [];
    const lowered = lines.map((l) => ({ l, lower: l.text.toLowerCase() }));
    for (const { category, terms } of compile(library)) {
        if (!fits(category))
            continue;
        let score = 0;
        const found = [];
        const perLine = new Map();
        for (const term of terms) {
            let best = 0;
            for (const { l, lower } of lowered) {
                if (!term.parts.every((re) => re.test(lower)))
                    continue;
                const w = term.parts.length * (l.line_number === opts.exceptionLine ? 2 : 1);
                perLine.set(l, (perLine.get(l) ?? 0) + w);
                best = Math.max(best, w);
            }
            if (best > 0) {
                score += best;
                found.push(term.text);
            }
        }
        if (score === 0)
            continue;
        const line = [...perLine.entries()].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0].line_number > a[0].line_number) ? b : a))[0];
        scored.push({ category, line, score, terms: found });
    }
    scored.sort((a, b) => b.score - a.score || b.category.priority - a.category.priority);
    const top = scored[0];
    if (!top)
        return null;
    const clear = scored[1] === undefined || scored[1].score < top.score;
    return {
        ...top,
        confidence: top.score >= 2 && clear ? 'medium' : 'low',
        others: scored.slice(1).map(({ category, line, score }) => ({ category, line, score })),
    };
}
