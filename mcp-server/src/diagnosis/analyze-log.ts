// The diagnosis engine: one streaming pass over a log, bounded memory whatever its size, and a root cause
// chosen by priority among the causes still live at the end (the first fatal cause, not the last
// symptom; an early warning the job recovered from is not the cause of a late failure).
import type { Readable } from 'node:stream';
import { cleanLine } from '../sky/sky-output-text.js';
import { fingerprintOf, stripRankPrefix, stripRayPrefix } from './fingerprint.js';
import type { Category, Fixability, PatternLibrary } from './pattern-library.js';
import { redact } from '../redaction/redact.js';
import { guessFromVocabulary, keepTail, readableLines, tailLines, VOCABULARY_REASON, type VocabularyGuess } from './vocabulary-fallback.js';

/** Matches in the last LIVE_TAIL_LINES lines are live; earlier ones may have been recovered from. */
const LIVE_TAIL_LINES = 300;
const CONTEXT_LINES = 3;
const MAX_LINE_CHARS = 4_000;
/** Bytes kept from each end of a line too long to hold (together well under MAX_LINE_CHARS). */
const HUGE_LINE_KEEP = 1_500;
const RECENT_MATCHES = 16;
/** Bytes kept back at the end of a chunk so that a match's following lines are in the same chunk. */
const LOOKAHEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 4 << 20;

export interface Evidence {
  category: string;
  line_number: number;
  line: string;
  before: string[];
  after: string[];
}

/** A category the log also supports, offered to the agent when the engine is not confident. */
export interface Candidate {
  category: string;
  description: string;
  line_number: number;
  line: string;
  live: boolean;
}

export interface LogAnalysis {
  category: string;
  description: string;
  fixability: Fixability;
  confidence: 'high' | 'medium' | 'low';
  confidence_reason: string;
  fingerprint: string;
  /** The exception that ended the last Python traceback, e.g. `torch.OutOfMemoryError`. */
  exception_type: string | null;
  /** The program's exit code from SkyPilot's epilogue line, when it printed one. */
  exit_code: number | null;
  evidence: Evidence[];
  fix_strategy: string;
  affected_files: string[];
  retry: string;
  /** When confidence is not high: the likeliest categories with their (redacted) evidence line, best first. */
  candidates: Candidate[];
  /** Every category seen in the log, with its number of matching lines (symptoms included). */
  seen: { category: string; lines: number; first_line: number; live: boolean }[];
  lines: number;
  bytes: number;
  /** SkyPilot's failure_reason for the job (redacted), when it gave one: read as line 0 of the log. */
  failure_reason: string | null;
}

export interface AnalyzeContext {
  /** The SkyPilot status the job ended in, when known. */
  status?: string | null;
  /**
   * SkyPilot's own verdict (`sky jobs queue`'s failure_reason): evidence as a line 0 that is always live,
   * since SkyPilot wrote it when the job ended (no recovery, guard or failover comes after it).
   */
  failure_reason?: string | null;
}

/** The line number SkyPilot's failure_reason is read as. */
export const FAILURE_REASON_LINE = 0;
/** 0.14's reason for a failed program: `Job exited with exit code 137 (user program failure). …` (sky/jobs/controller.py). */
const REASON_EXIT_CODES = /^Job exited with exit codes? \[?([\d, ]+)\]?/;

interface Match {
  category: Category;
  line_number: number;
  evidence: Evidence;
  /** Only SkyPilot's framing lines matched (`context` needles). */
  context: boolean;
  /** Only needles whose message fits more than one cause matched (`ambiguous` needles). */
  ambiguous: boolean;
}

interface Needle {
  bytes: Buffer;
}

/**
 * Multi-string search over raw bytes (Wu–Manber): a shift table over 2-byte blocks of every needle's first
 * WINDOW bytes lets the scan skip up to WINDOW-1 bytes at a time, so its cost barely grows with the number
 * of needles. Needles shorter than WINDOW are found with native indexOf passes. Matching is ASCII
 * case-folded here; the exact rule (case, `unless`) is applied to each candidate line afterwards.
 * The log is never decoded as a whole.
 */
class NeedleScanner {
  private readonly shift = new Uint8Array(1 << 16).fill(WINDOW - 1);
  private readonly byPrefix = new Map<number, Needle[]>();
  private readonly short: Buffer[] = [];

  constructor(library: PatternLibrary, markers: string[]) {
    const texts = [...library.categories.flatMap((c) => c.detect.any), ...markers.map((text) => ({ text, ignore_case: false }))];
    for (const n of texts) {
      const bytes = Buffer.from(n.text);
      if (bytes.length < WINDOW) {
        this.short.push(...(n.ignore_case ? caseVariants(n.text) : [bytes]));
        continue;
      }
      const prefix = window4(bytes, 0);
      this.byPrefix.set(prefix, [...(this.byPrefix.get(prefix) ?? []), { bytes }]);
      for (let j = 1; j < WINDOW; j++) {
        const block = ((FOLD[bytes[j - 1] as number] as number) << 8) | (FOLD[bytes[j] as number] as number);
        this.shift[block] = Math.min(this.shift[block] as number, WINDOW - 1 - j);
      }
    }
  }

  /**
   * Calls `onLine(lineStart, lineIndex)` once, in order, for every line of `buf` that contains a needle
   * (lineIndex counts from 0 in `buf`), and returns the number of lines in `buf`.
   */
  scan(buf: Buffer, onLine: (lineStart: number, lineIndex: number) => void): number {
    const starts: number[] = [];
    const shift = this.shift;
    for (let i = WINDOW - 1; i < buf.length; ) {
      const skip = shift[((FOLD[buf[i - 1] as number] as number) << 8) | (FOLD[buf[i] as number] as number)] as number;
      if (skip > 0) {
        i += skip;
        continue;
      }
      const start = i - WINDOW + 1;
      if (this.verify(buf, start)) {
        starts.push(start);
        const end = buf.indexOf(NEWLINE, i);
        if (end < 0) break;
        i = end + WINDOW; // the next window starts at the next line
      } else {
        i++;
      }
    }
    for (const needle of this.short) {
      for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) starts.push(at);
    }
    if (this.short.length > 0) starts.sort((a, b) => a - b);
    // Line numbers: newlines counted natively between candidates, one pass in all.
    let line = 0;
    let cursor = 0;
    let lastLine = -1;
    for (const at of starts) {
      for (let nl = buf.indexOf(NEWLINE, cursor); nl >= 0 && nl < at; nl = buf.indexOf(NEWLINE, cursor)) {
        line++;
        cursor = nl + 1;
      }
      if (line !== lastLine) {
        onLine(cursor, line);
        lastLine = line;
      }
    }
    for (let nl = buf.indexOf(NEWLINE, cursor); nl >= 0; nl = buf.indexOf(NEWLINE, cursor)) {
      line++;
      cursor = nl + 1;
    }
    return line;
  }

  private verify(buf: Buffer, start: number): boolean {
    if (start + 4 > buf.length) return false;
    for (const n of this.byPrefix.get(window4(buf, start)) ?? []) {
      if (start + n.bytes.length > buf.length) continue;
      let k = 0;
      while (k < n.bytes.length && FOLD[buf[start + k] as number] === FOLD[n.bytes[k] as number]) k++;
      if (k === n.bytes.length) return true;
    }
    return false;
  }
}

const WINDOW = 8;
/** ASCII letters folded to lower case; every other byte is itself. */
const FOLD = Uint8Array.from({ length: 256 }, (_, b) => (b >= 65 && b <= 90 ? b + 32 : b));
const window4 = (bytes: Buffer, at: number) =>
  (((FOLD[bytes[at] as number] as number) << 24) | ((FOLD[bytes[at + 1] as number] as number) << 16) | ((FOLD[bytes[at + 2] as number] as number) << 8) | (FOLD[bytes[at + 3] as number] as number)) >>> 0;

/** Every upper/lower-case spelling of a short needle (few letters by construction). */
function caseVariants(text: string): Buffer[] {
  let variants = [''];
  for (const ch of text) {
    const forms = ch.toLowerCase() === ch.toUpperCase() ? [ch] : [ch.toLowerCase(), ch.toUpperCase()];
    variants = variants.flatMap((v) => forms.map((f) => v + f));
    if (variants.length > 64) throw new Error(`case-insensitive needle ${JSON.stringify(text)} is too short for its letters: make it at least ${WINDOW} bytes`);
  }
  return variants.map((v) => Buffer.from(v));
}

const EPILOGUE_CODES = /failed with return code list: \[([\d, ]+)\]/;
const SETUP_CODE = /setup failed\. Failed workers: \(pid=\d+, returncode=(\d+)\)/;
const SETUP_CODES_09 = /setup failed with return code list: \[([\d, ]+)\]/;
// SkyPilot's own lines that say a launch got through (sky/jobs/controller.py, sky/backends/cloud_vm_ray_backend.py):
// a provisioning error before one of them was failed over, not the end of the story.
const LAUNCHED = ['Managed job cluster launched.', 'Cluster launch completed in', 'Job started. Streaming logs'];
// ...and the lines that say the job succeeded (sky/skylet/log_lib.py, sky/jobs/controller.py).
const SUCCEEDED = [/Job finished \(status: SUCCEEDED\)/, /^Managed job \d+ \(task: \d+\) SUCCEEDED/];
const CHAINED = ['The above exception was the direct cause of the following exception', 'During handling of the above exception, another exception occurred'];
// bash's trace (`set -x`) of a guarded step, `cmd || true`: the failure just before it did not stop the script.
const GUARD = '+ true';
/** A guard covers the failure text this many lines before it (pip's and tracebacks' output included). */
const GUARD_SPAN = 200;
const PROVISIONING = new Set(['STARTING', 'PENDING', 'RECOVERING']);
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Failure|Fault))(?::|$)/;
const TRACEBACK = 'Traceback (most recent call last):';
const NEWLINE = 10;

/** Line `index`-th around a position, decoded and cleaned: Ray prefix, ANSI and \r redraws removed. */
function decodeLine(buf: Buffer, start: number): { text: string; end: number } {
  const nl = buf.indexOf(NEWLINE, start);
  const end = nl < 0 ? buf.length : nl;
  // A line too long to quote keeps its head and its tail: an error at the end of a huge line is still seen.
  const raw = end - start <= MAX_LINE_CHARS
    ? buf.toString('utf8', start, end)
    : `${buf.toString('utf8', start, start + HUGE_LINE_KEEP)} … ${buf.toString('utf8', end - HUGE_LINE_KEEP, end)}`;
  return { text: stripRankPrefix(stripRayPrefix(cleanLine(raw))), end };
}

function linesBefore(buf: Buffer, lineStart: number, n: number): string[] {
  const out: string[] = [];
  let end = lineStart - 1; // the newline that ends the previous line
  while (out.length < n && end > 0) {
    const begin = buf.lastIndexOf(NEWLINE, end - 1) + 1;
    out.unshift(redact(decodeLine(buf, begin).text));
    end = begin - 1;
  }
  return out;
}

function linesAfter(buf: Buffer, lineEnd: number, n: number): string[] {
  const out: string[] = [];
  for (let pos = lineEnd + 1; out.length < n && pos < buf.length; ) {
    const { text, end } = decodeLine(buf, pos);
    out.push(redact(text));
    pos = end + 1;
  }
  return out;
}

export class LogAnalyzer {
  private readonly scanner: NeedleScanner;
  private lineNo = 0;
  private bytes = 0;
  private readonly first = new Map<string, Match>();
  private readonly recent = new Map<string, Match[]>();
  private readonly counts = new Map<string, number>();
  private exceptionType: string | null = null;
  private exceptionLine: { line_number: number; line: string } | null = null;
  private exitCode: number | null = null;
  private chained = false;
  private lastLaunch = 0;
  /** Line numbers of the last `+ true` guard lines. */
  private guards: number[] = [];
  private tailLines: string[] = [];
  /** The last bytes of the log, read only when the vocabulary fallback is needed. */
  private tail: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly library: PatternLibrary) {
    this.scanner = new NeedleScanner(library, [...LAUNCHED, ...CHAINED, GUARD]);
  }

  /** Feed raw bytes or text; lines may be split across calls. */
  write(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.bytes += buf.length;
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes < CHUNK_BYTES + LOOKAHEAD_BYTES) return;
    const all = Buffer.concat(this.pending, this.pendingBytes);
    const cut = all.lastIndexOf(NEWLINE, all.length - LOOKAHEAD_BYTES);
    if (cut < 0) {
      // One enormous line: keep its head and its tail, so memory stays bounded and an error at its end
      // is still found; whatever follows its end stays as it is.
      const end = all.indexOf(NEWLINE);
      const line = end < 0 ? all : all.subarray(0, end);
      const kept = [line.subarray(0, HUGE_LINE_KEEP), Buffer.from(' … '), line.subarray(line.length - HUGE_LINE_KEEP)];
      if (end >= 0) kept.push(all.subarray(end));
      this.pending = kept.map((b) => Buffer.from(b));
      this.pendingBytes = this.pending.reduce((n, b) => n + b.length, 0);
      return;
    }
    this.process(all.subarray(0, cut + 1));
    const rest = all.subarray(cut + 1);
    this.pending = [Buffer.from(rest)];
    this.pendingBytes = rest.length;
  }

  finish(ctx: AnalyzeContext = {}): LogAnalysis {
    let rest = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    if (rest.length > 0) {
      if (rest[rest.length - 1] !== NEWLINE) rest = Buffer.concat([rest, Buffer.from('\n')]);
      this.process(rest);
    }
    if (ctx.failure_reason) this.readReason(ctx.failure_reason);
    return this.decide(ctx);
  }

  /** Scan a block of whole lines. */
  private process(buf: Buffer): void {
    const base = this.lineNo;
    this.lineNo += this.scanner.scan(buf, (lineStart, index) => this.onCandidate(buf, lineStart, base + index + 1));
    this.tailLines = [...this.tailLines, ...linesBefore(buf, buf.length, 20)].slice(-20);
    this.tail = keepTail(this.tail, buf);
  }

  private onCandidate(buf: Buffer, start: number, lineNumber: number): void {
    const { text: clean, end } = decodeLine(buf, start);
    if (LAUNCHED.some((m) => clean.includes(m))) this.lastLaunch = lineNumber;
    if (CHAINED.some((m) => clean.includes(m))) this.chained = true;
    if (/^\++ true$/.test(clean.trim())) this.guards = [...this.guards, lineNumber].slice(-RECENT_MATCHES);
    const hit = this.categoriesOf(clean);
    if (hit.size === 0) return;
    const before = linesBefore(buf, start, CONTEXT_LINES);
    const after = linesAfter(buf, end, CONTEXT_LINES);
    for (const [category, { context, ambiguous }] of hit) {
      const match: Match = { category, line_number: lineNumber, context, ambiguous, evidence: { category: category.id, line_number: lineNumber, line: clean, before, after } };
      this.counts.set(category.id, (this.counts.get(category.id) ?? 0) + 1);
      // The first specific line counts as the first sighting; a framing line only until one shows up.
      const firstSeen = this.first.get(category.id);
      if (!firstSeen || (firstSeen.context && !context)) this.first.set(category.id, match);
      const recent = this.recent.get(category.id) ?? [];
      recent.push(match);
      if (recent.length > RECENT_MATCHES) recent.shift();
      this.recent.set(category.id, recent);
    }
    if (clean.includes(TRACEBACK)) this.readException(buf, end, lineNumber);
  }

  /** The categories whose needles one cleaned line matches (and no `unless` excludes). */
  private categoriesOf(clean: string): Map<Category, { context: boolean; ambiguous: boolean }> {
    const lower = clean.toLowerCase();
    const hit = new Map<Category, { context: boolean; ambiguous: boolean }>();
    for (const category of this.library.categories) {
      const matched = category.detect.any.filter((n) => (n.ignore_case ? lower.includes(n.text.toLowerCase()) : clean.includes(n.text)));
      if (matched.length > 0 && !category.detect.unless.some((u) => lower.includes(u.toLowerCase()))) {
        hit.set(category, { context: matched.every((n) => n.context), ambiguous: matched.every((n) => n.ambiguous) });
      }
    }
    return hit;
  }

  /** SkyPilot's failure_reason as line 0: before every log line, so it is each category's first sighting. */
  private readReason(reason: string): void {
    const line = cleanLine(reason.replace(/\r?\n/g, ' ')).slice(0, MAX_LINE_CHARS);
    for (const [category, { context, ambiguous }] of this.categoriesOf(line)) {
      const match: Match = { category, line_number: FAILURE_REASON_LINE, context, ambiguous, evidence: { category: category.id, line_number: FAILURE_REASON_LINE, line, before: [], after: [] } };
      this.counts.set(category.id, (this.counts.get(category.id) ?? 0) + 1);
      const firstSeen = this.first.get(category.id);
      if (!firstSeen || !context || firstSeen.context) this.first.set(category.id, match);
      this.recent.set(category.id, [match, ...(this.recent.get(category.id) ?? [])].slice(0, RECENT_MATCHES));
    }
  }

  /** The exception line that closes a traceback: the first non-indented line after the frames. */
  private readException(buf: Buffer, from: number, tracebackLine: number): void {
    for (let pos = from + 1, n = 1; n < 400 && pos < buf.length; n++) {
      const { text: line, end } = decodeLine(buf, pos);
      if (line !== '' && !/^\s/.test(line) && !line.startsWith(TRACEBACK)) {
        const m = EXCEPTION_LINE.exec(line);
        // In a chain ("…was the direct cause of the following exception") the first exception is the cause.
        if (m && !(this.chained && this.exceptionType)) {
          this.exceptionType = m[1] as string;
          this.exceptionLine = { line_number: tracebackLine + n, line };
        }
        return;
      }
      pos = end + 1;
    }
  }

  private decide(ctx: AnalyzeContext): LogAnalysis {
    // The epilogue that gave the exit code: the evidence line of a cause the exit code points at.
    let epilogue: { line: string; line_number: number } | null = null;
    for (const [i, l] of this.tailLines.entries()) {
      const m = EPILOGUE_CODES.exec(l) ?? SETUP_CODE.exec(l) ?? SETUP_CODES_09.exec(l);
      if (!m) continue;
      this.exitCode = (m[1] as string).split(',').map((x) => Number(x.trim())).find((c) => c !== 0) ?? 0;
      epilogue = { line: l, line_number: this.lineNo - (this.tailLines.length - 1 - i) };
    }
    // 0.14 names the exit code in the failure_reason even when the log kept no epilogue.
    const reasonCodes = this.exitCode === null && ctx.failure_reason ? REASON_EXIT_CODES.exec(ctx.failure_reason) : null;
    if (reasonCodes) this.exitCode = (reasonCodes[1] as string).split(',').map((x) => Number(x.trim())).find((c) => c !== 0) ?? 0;
    const liveFrom = Math.max(1, this.lineNo - LIVE_TAIL_LINES + 1);
    // A step guarded by `|| true` failed without stopping the script: its lines are not a live cause.
    const guarded = (line: number) => this.guards.some((g) => g > line && g - line <= GUARD_SPAN);
    // A provisioning error before a successful launch was failed over; everything else is live near the end.
    const isLive = (m: Match) => m.line_number === FAILURE_REASON_LINE || m.line_number >= liveFrom && !guarded(m.line_number) && !(this.isProvisioning(m.category) && m.line_number < this.lastLaunch);
    if (this.exceptionLine && guarded(this.exceptionLine.line_number)) {
      this.exceptionType = null;
      this.exceptionLine = null;
    }
    const seen = [...this.first.values()].map((m) => {
      const recent = this.recent.get(m.category.id) ?? [];
      const liveMatch = [...recent].reverse().find((r) => isLive(r) && !r.context) ?? recent.find((r) => isLive(r));
      const match = liveMatch ?? m;
      return { match, live: liveMatch !== undefined, context: match.context };
    });
    // The status the job ended in is evidence too: the same line (e.g. botocore's NoCredentialsError) is a
    // bucket problem in a FAILED job and a cloud-credentials problem in FAILED_PRECHECKS.
    const fits = (c: Category) => !ctx.status || c.detect.statuses.length === 0 || c.detect.statuses.includes(ctx.status);
    const rank = (a: { match: Match }, b: { match: Match }) =>
      Number(fits(b.match.category)) - Number(fits(a.match.category)) ||
      b.match.category.priority - a.match.category.priority || a.match.line_number - b.match.line_number;
    const specificLive = seen.filter((s) => s.live && !s.context).sort(rank);
    const early = seen.filter((s) => !s.live && !s.context).sort(rank);
    const framing = seen.filter((s) => s.context).sort(rank);
    const succeeded = ctx.status === 'SUCCEEDED' || this.tailLines.some((l) => SUCCEEDED.some((re) => re.test(l)));

    let chosen: Match | null = null;
    let category: Category | undefined;
    let confidence: LogAnalysis['confidence'] = 'low';
    let reason = 'no known failure pattern in the log';
    const byCode = this.byExitCode();
    const related = (a: Category, b: Category) => a.caused_by.includes(b.id) || b.caused_by.includes(a.id);
    const best = specificLive[0];
    // First fatal cause, then its consequences: a symptom whose usual cause showed up earlier yields to it.
    const cause = best && seen.filter((s) => !s.context && best.match.category.caused_by.includes(s.match.category.id)).sort(rank)[0];
    if (succeeded) {
      category = this.library.byName.get('UNKNOWN');
      confidence = 'high';
      reason = 'the job succeeded; whatever the log mentions did not stop it';
    } else if (best && cause) {
      chosen = cause.match;
      confidence = 'medium';
      reason = `${best.match.category.id} at line ${best.match.line_number} usually follows ${cause.match.category.id}, seen at line ${cause.match.line_number}`;
    } else if (best && best.match.category.id === 'PYTHON_EXCEPTION' && byCode) {
      category = byCode;
      confidence = 'medium';
      reason = `exit code ${this.exitCode} after an uncaught ${this.exceptionType ?? 'exception'}`;
    } else if (best) {
      chosen = best.match;
      const statusOk = !ctx.status || chosen.category.detect.statuses.length === 0 || chosen.category.detect.statuses.includes(ctx.status);
      const rival = specificLive.slice(1).find((s) => s.match.category.id !== 'PYTHON_EXCEPTION' && fits(s.match.category) && !chosen!.category.caused_by.includes(s.match.category.id) && !s.match.category.caused_by.includes(chosen!.category.id) && s.match.category.priority >= chosen!.category.priority - 5);
      if (chosen.category.id === 'PYTHON_EXCEPTION') {
        confidence = 'medium';
        reason = `an uncaught ${this.exceptionType ?? 'exception'} not covered by a specific pattern`;
      } else if (!statusOk) {
        confidence = 'medium';
        reason = `matched at line ${chosen.line_number}, but ${chosen.category.id} usually ends in ${chosen.category.detect.statuses.join('/')}, not ${ctx.status}`;
      } else if (rival) {
        confidence = 'medium';
        reason = `matched at line ${chosen.line_number}, but ${rival.match.category.id} (line ${rival.match.line_number}) is nearly as likely`;
      } else if (chosen.ambiguous) {
        confidence = 'medium';
        reason = `matched at line ${chosen.line_number}, but that message reads the same for more than one cause`;
      } else if (byCode && byCode !== chosen.category && !related(byCode, chosen.category)) {
        confidence = 'medium';
        reason = `matched at line ${chosen.line_number}, but exit code ${this.exitCode} is what ${byCode.id} ends with`;
      } else {
        confidence = 'high';
        reason = (chosen.line_number === FAILURE_REASON_LINE ? "specific pattern in SkyPilot's failure_reason" : `specific pattern at line ${chosen.line_number}, near the end of the log`) +
          (specificLive.length > 1 ? `; outranks ${specificLive.slice(1).map((s) => s.match.category.id).join(', ')}` : '');
      }
    } else if (byCode) {
      category = byCode;
      confidence = 'medium';
      reason = `no specific line; exit code ${this.exitCode} is what ${byCode.id} ends with`;
    } else if (framing[0]) {
      chosen = framing[0].match;
      reason = `only SkyPilot's generic line at ${chosen.line_number} ("${chosen.evidence.line.slice(0, 80)}"); the provider's own message is missing`;
    } else if (early[0]) {
      chosen = early[0].match;
      reason = `only seen early in the log (line ${chosen.line_number}); the job may have recovered from it`;
    }
    // Below every needle (a bare traceback, framing lines, a status or nothing): a category's general wording.
    const bare = !succeeded && !byCode && !cause && (best ? best.match.category.id === 'PYTHON_EXCEPTION' : !early[0]);
    const guess = bare ? this.vocabularyGuess(guarded, fits, ctx.failure_reason ?? null) : null;
    if (guess) {
      category = guess.category;
      confidence = guess.confidence;
      reason = `${VOCABULARY_REASON} ${category.id} (${guess.terms.map((t) => `"${t}"`).join(', ')}) at line ${guess.line.line_number}`;
    }
    category ??= chosen?.category;
    if (!category) {
      // No text matched: the SkyPilot status may still say what happened.
      category = this.fallback(ctx);
      if (category) reason = `nothing matched; inferred from status ${ctx.status}`;
    }
    category ??= this.library.byName.get('UNKNOWN') as Category;
    if (chosen && chosen.category !== category) chosen = null;

    // For an uncaught exception the line that names it is the evidence, not the "Traceback" header.
    let evidenceLine = chosen?.evidence.line ?? guess?.line.text ?? ctx.failure_reason ?? null;
    if (category.id === 'PYTHON_EXCEPTION' && this.exceptionLine) evidenceLine = this.exceptionLine.line;
    const evidence = chosen ? [redactEvidence(chosen.evidence)] : guess ? [{ category: category.id, line_number: guess.line.line_number, line: redact(guess.line.text), before: [], after: [] }] : [];
    const candidates =
      confidence === 'high'
        ? []
        : [...specificLive, ...early, ...framing]
            .filter((s, i, all) => all.findIndex((o) => o.match.category.id === s.match.category.id) === i)
            .slice(0, 3)
            .map((s): Candidate => ({ category: s.match.category.id, description: s.match.category.description, line_number: s.match.line_number, line: redact(s.match.evidence.line), live: s.live }));
    if (guess) candidates.unshift(...vocabularyCandidates(guess).filter((c) => !candidates.some((o) => o.category === c.category)));
    // The category the exit code stands for is a candidate too, with SkyPilot's epilogue as its evidence.
    if (confidence !== 'high' && byCode && epilogue && !candidates.some((c) => c.category === byCode.id)) {
      candidates.push({ category: byCode.id, description: byCode.description, line_number: epilogue.line_number, line: redact(epilogue.line), live: true });
    }
    return {
      category: category.id,
      description: category.description,
      fixability: category.fixability,
      confidence,
      confidence_reason: reason,
      fingerprint: fingerprintOf(category.id, evidenceLine === null ? null : redact(evidenceLine)),
      exception_type: this.exceptionType,
      exit_code: this.exitCode,
      evidence,
      fix_strategy: category.fix_strategy,
      affected_files: category.affected_files,
      retry: category.retry,
      candidates,
      seen: seen
        .map((s) => ({ category: s.match.category.id, lines: this.counts.get(s.match.category.id) ?? 0, first_line: (this.first.get(s.match.category.id) as Match).line_number, live: s.live }))
        .sort((a, b) => a.first_line - b.first_line),
      lines: this.lineNo,
      bytes: this.bytes,
      failure_reason: ctx.failure_reason ? redact(ctx.failure_reason) : null,
    };
  }

  private vocabularyGuess(guarded: (line: number) => boolean, fits: (c: Category) => boolean, failureReason: string | null): VocabularyGuess | null {
    // SkyPilot's failure_reason is read too, as its line 0 (its generic wordings are skipped like any wrapper line).
    const reason = failureReason ? [{ line_number: FAILURE_REASON_LINE, text: cleanLine(failureReason.replace(/\r?\n/g, ' ')).slice(0, MAX_LINE_CHARS) }] : [];
    const lines = readableLines([...reason, ...tailLines(this.tail, this.lineNo)], this.library, (n) => n !== FAILURE_REASON_LINE && guarded(n));
    return guessFromVocabulary(lines, this.library, { exceptionLine: this.exceptionLine?.line_number ?? null, fits });
  }

  /** Categories of the launch phase: their errors are failed over until a launch gets through. */
  private isProvisioning(category: Category): boolean {
    return category.detect.where === 'controller' && category.detect.statuses.some((s) => PROVISIONING.has(s));
  }

  /** The category an exit code stands for (137 killed, 124 timeout, 127 not found), if any. */
  private byExitCode(): Category | undefined {
    if (this.exitCode === null || this.exitCode === 0 || this.exitCode === 1) return undefined;
    return [...this.library.categories].sort((a, b) => b.priority - a.priority).find((c) => c.detect.exit_codes.includes(this.exitCode as number));
  }

  private fallback(ctx: AnalyzeContext): Category | undefined {
    if (!ctx.status) return undefined;
    return [...this.library.categories].sort((a, b) => b.priority - a.priority).find((c) => c.detect.fallback_for_statuses.includes(ctx.status as string));
  }
}

const redactEvidence = (e: Evidence): Evidence => ({ ...e, line: redact(e.line) });

/** The fallback's guess and its first runner-up, as candidates for the agent (never live needle matches). */
const vocabularyCandidates = (g: VocabularyGuess): Candidate[] =>
  [{ category: g.category, line: g.line }, ...g.others.slice(0, 1)].map((x) => ({ category: x.category.id, description: x.category.description, line_number: x.line.line_number, line: redact(x.line.text), live: true }));

/** Analyse a whole stream (a file, a `sky jobs logs` pipe) in one pass. */
export async function analyzeStream(stream: Readable, library: PatternLibrary, ctx: AnalyzeContext = {}): Promise<LogAnalysis> {
  const analyzer = new LogAnalyzer(library);
  for await (const chunk of stream) analyzer.write(chunk as Buffer);
  return analyzer.finish(ctx);
}

export function analyzeText(text: string, library: PatternLibrary, ctx: AnalyzeContext = {}): LogAnalysis {
  const analyzer = new LogAnalyzer(library);
  analyzer.write(text);
  return analyzer.finish(ctx);
}
