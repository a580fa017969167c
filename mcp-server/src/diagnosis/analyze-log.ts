// The diagnosis engine: one streaming pass over a log, bounded memory whatever its size, and a root cause
// chosen by priority among the causes still live at the end (the first fatal cause, not the last
// symptom; an early warning the job recovered from is not the cause of a late failure).
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { cleanLine } from '../sky/sky-output-text.js';
import { fingerprintOf, stripRayPrefix } from './fingerprint.js';
import type { Category, Fixability, PatternLibrary } from './pattern-library.js';
import { redact } from './redact.js';

/** Matches in the last LIVE_TAIL_LINES lines are live; earlier ones may have been recovered from. */
const LIVE_TAIL_LINES = 300;
const CONTEXT_LINES = 3;
const MAX_LINE_CHARS = 4_000;
const RECENT_MATCHES = 16;
/** Text kept back at the end of a chunk so that a match's following lines are in the same chunk. */
const LOOKAHEAD_CHARS = 64 * 1024;
const CHUNK_CHARS = 1 << 20;

export interface Evidence {
  category: string;
  line_number: number;
  line: string;
  before: string[];
  after: string[];
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
  /** Every category seen in the log, with its number of matching lines (symptoms included). */
  seen: { category: string; lines: number; first_line: number; live: boolean }[];
  lines: number;
  bytes: number;
}

export interface AnalyzeContext {
  /** The SkyPilot status the job ended in, when known. */
  status?: string | null;
  failure_reason?: string | null;
}

interface Match {
  category: Category;
  line_number: number;
  evidence: Evidence;
}

interface Needles {
  /** One alternation of every needle: finds candidate lines in a chunk without looking at each line. */
  scan: RegExp;
  perLine: { category: Category; text: string; ignoreCase: boolean }[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileNeedles(library: PatternLibrary): Needles {
  const perLine = library.categories.flatMap((category) =>
    category.detect.any.map((n) => ({ category, text: n.ignore_case ? n.text.toLowerCase() : n.text, ignoreCase: n.ignore_case })),
  );
  // Case-insensitive needles are found through a case-insensitive alternation member: (?i) is not in JS,
  // so every needle goes into one 'i' regex and the exact per-line check below restores case rules.
  const alternatives = [...new Set(perLine.map((n) => escapeRegExp(n.text)))];
  return { scan: new RegExp(alternatives.join('|') || '(?!)', 'gi'), perLine };
}

const EPILOGUE_CODES = /failed with return code list: \[([\d, ]+)\]/;
const SETUP_CODE = /setup failed\. Failed workers: \(pid=\d+, returncode=(\d+)\)/;
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Failure|Fault))(?::|$)/;
const TRACEBACK = 'Traceback (most recent call last):';

export class LogAnalyzer {
  private readonly needles: Needles;
  private lineNo = 0;
  private bytes = 0;
  private readonly first = new Map<string, Match>();
  private readonly recent = new Map<string, Match[]>();
  private readonly counts = new Map<string, number>();
  private exceptionType: string | null = null;
  private exceptionLine: { line_number: number; line: string } | null = null;
  private exitCode: number | null = null;
  private tailLines: string[] = [];
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly library: PatternLibrary) {
    this.needles = compileNeedles(library);
  }

  /** Feed raw bytes or text; lines may be split across calls. */
  write(chunk: Buffer | string): void {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.pending.length < CHUNK_CHARS + LOOKAHEAD_CHARS) return;
    const cut = this.pending.lastIndexOf('\n', this.pending.length - LOOKAHEAD_CHARS);
    if (cut < 0) {
      // One enormous line: keep its start only (memory stays bounded).
      this.pending = this.pending.slice(0, MAX_LINE_CHARS);
      return;
    }
    this.process(this.pending.slice(0, cut + 1));
    this.pending = this.pending.slice(cut + 1);
  }

  finish(ctx: AnalyzeContext = {}): LogAnalysis {
    this.pending += this.decoder.end();
    if (this.pending !== '') this.process(this.pending.endsWith('\n') ? this.pending : `${this.pending}\n`);
    this.pending = '';
    return this.decide(ctx);
  }

  /** Scan a block of whole lines. */
  private process(text: string): void {
    this.needles.scan.lastIndex = 0;
    let cursor = 0;
    let line = this.lineNo;
    let lastHandledLine = -1;
    for (let m = this.needles.scan.exec(text); m !== null; m = this.needles.scan.exec(text)) {
      // Advance the line counter to the match.
      for (let nl = text.indexOf('\n', cursor); nl !== -1 && nl < m.index; nl = text.indexOf('\n', cursor)) {
        cursor = nl + 1;
        line++;
      }
      const end = text.indexOf('\n', m.index);
      if (line !== lastHandledLine) {
        this.onCandidate(text, cursor, end, line + 1);
        lastHandledLine = line;
      }
      this.needles.scan.lastIndex = end + 1;
    }
    for (let nl = text.indexOf('\n', cursor); nl !== -1; nl = text.indexOf('\n', cursor)) {
      cursor = nl + 1;
      line++;
    }
    this.lineNo = line;
    this.keepTail(text);
  }

  private onCandidate(text: string, start: number, end: number, lineNumber: number): void {
    const raw = text.slice(start, Math.min(end, start + MAX_LINE_CHARS));
    const clean = stripRayPrefix(cleanLine(raw));
    const lower = clean.toLowerCase();
    const hit = new Set<Category>();
    for (const n of this.needles.perLine) {
      if (hit.has(n.category)) continue;
      if (!(n.ignoreCase ? lower.includes(n.text) : clean.includes(n.text))) continue;
      if (n.category.detect.unless.some((u) => lower.includes(u.toLowerCase()))) continue;
      hit.add(n.category);
    }
    if (hit.size === 0) return;
    const evidence = (category: Category): Evidence => ({
      category: category.id,
      line_number: lineNumber,
      line: clean,
      before: linesBefore(text, start, CONTEXT_LINES),
      after: linesAfter(text, end, CONTEXT_LINES),
    });
    for (const category of hit) {
      const match: Match = { category, line_number: lineNumber, evidence: evidence(category) };
      this.counts.set(category.id, (this.counts.get(category.id) ?? 0) + 1);
      if (!this.first.has(category.id)) this.first.set(category.id, match);
      const recent = this.recent.get(category.id) ?? [];
      recent.push(match);
      if (recent.length > RECENT_MATCHES) recent.shift();
      this.recent.set(category.id, recent);
    }
    if (clean.includes(TRACEBACK)) this.readException(text, end, lineNumber);
  }

  /** The exception line that closes a traceback: the first non-indented line after the frames. */
  private readException(text: string, from: number, tracebackLine: number): void {
    let pos = from + 1;
    for (let n = 1; n < 400 && pos < text.length; n++) {
      const end = text.indexOf('\n', pos);
      const line = stripRayPrefix(cleanLine(text.slice(pos, end < 0 ? undefined : end)));
      if (line !== '' && !/^\s/.test(line) && !line.startsWith(TRACEBACK)) {
        const m = EXCEPTION_LINE.exec(line);
        if (m) {
          this.exceptionType = m[1] as string;
          this.exceptionLine = { line_number: tracebackLine + n, line };
        }
        return;
      }
      if (end < 0) return;
      pos = end + 1;
    }
  }

  private keepTail(text: string): void {
    // Only the last lines matter for the exit code (SkyPilot's epilogue is at the very end).
    const tail = linesBefore(text, text.length, 20);
    this.tailLines = [...this.tailLines, ...tail].slice(-20);
  }

  private decide(ctx: AnalyzeContext): LogAnalysis {
    for (const l of this.tailLines) {
      const m = EPILOGUE_CODES.exec(l) ?? SETUP_CODE.exec(l);
      if (m) this.exitCode = (m[1] as string).split(',').map((x) => Number(x.trim())).find((c) => c !== 0) ?? 0;
    }
    const liveFrom = Math.max(1, this.lineNo - LIVE_TAIL_LINES + 1);
    const seen = [...this.first.values()].map((m) => {
      const liveMatch = (this.recent.get(m.category.id) ?? []).find((r) => r.line_number >= liveFrom);
      return { match: liveMatch ?? m, live: liveMatch !== undefined };
    });
    const rank = (a: { match: Match }, b: { match: Match }) =>
      b.match.category.priority - a.match.category.priority || a.match.line_number - b.match.line_number;
    const live = seen.filter((s) => s.live).sort(rank);
    const early = seen.filter((s) => !s.live).sort(rank);

    let chosen: Match | null = null;
    let confidence: LogAnalysis['confidence'] = 'low';
    let reason: string;
    const best = live[0] ?? early[0];
    if (best) {
      chosen = best.match;
      const generic = chosen.category.id === 'PYTHON_EXCEPTION';
      const statusOk = !ctx.status || chosen.category.detect.statuses.length === 0 || chosen.category.detect.statuses.includes(ctx.status);
      if (!best.live) {
        confidence = 'low';
        reason = `only seen early in the log (line ${chosen.line_number}); the job may have recovered from it`;
      } else if (generic) {
        confidence = 'medium';
        reason = `an uncaught ${this.exceptionType ?? 'exception'} not covered by a specific pattern`;
      } else if (!statusOk) {
        confidence = 'medium';
        reason = `matched at line ${chosen.line_number}, but ${chosen.category.id} usually ends in ${chosen.category.detect.statuses.join('/')}, not ${ctx.status}`;
      } else {
        confidence = 'high';
        reason = `specific pattern at line ${chosen.line_number}, near the end of the log` +
          (live.length > 1 ? `; outranks ${live.slice(1).map((s) => s.match.category.id).join(', ')}` : '');
      }
    } else {
      reason = 'no known failure pattern in the log';
    }
    let category = chosen?.category;
    if (!category) {
      // No text matched: the exit code or the SkyPilot status may still say what happened.
      category = this.fallback(ctx);
      if (category) reason = `nothing matched; inferred from ${this.exitCode !== null && category.detect.exit_codes.includes(this.exitCode) ? `exit code ${this.exitCode}` : `status ${ctx.status}`}`;
    }
    category ??= this.library.byName.get('UNKNOWN') as Category;

    // For an uncaught exception the line that names it is the evidence, not the "Traceback" header.
    let evidenceLine = chosen?.evidence.line ?? ctx.failure_reason ?? null;
    if (category.id === 'PYTHON_EXCEPTION' && this.exceptionLine) evidenceLine = this.exceptionLine.line;
    const evidence = chosen ? [redactEvidence(chosen.evidence)] : [];
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
      seen: seen
        .map((s) => ({ category: s.match.category.id, lines: this.counts.get(s.match.category.id) ?? 0, first_line: (this.first.get(s.match.category.id) as Match).line_number, live: s.live }))
        .sort((a, b) => a.first_line - b.first_line),
      lines: this.lineNo,
      bytes: this.bytes,
    };
  }

  private fallback(ctx: AnalyzeContext): Category | undefined {
    const byPriority = [...this.library.categories].sort((a, b) => b.priority - a.priority);
    if (this.exitCode !== null && this.exitCode !== 1) {
      const byCode = byPriority.find((c) => c.detect.exit_codes.includes(this.exitCode as number));
      if (byCode) return byCode;
    }
    if (ctx.status) return byPriority.find((c) => c.detect.fallback_for_statuses.includes(ctx.status as string));
    return undefined;
  }
}

function linesBefore(text: string, start: number, n: number): string[] {
  const out: string[] = [];
  let end = start - 1;
  while (out.length < n && end > 0) {
    const begin = text.lastIndexOf('\n', end - 1) + 1;
    out.unshift(redact(stripRayPrefix(cleanLine(text.slice(begin, Math.min(end, begin + MAX_LINE_CHARS))))));
    end = begin - 1;
  }
  return out;
}

function linesAfter(text: string, end: number, n: number): string[] {
  const out: string[] = [];
  let pos = end + 1;
  while (out.length < n && end >= 0 && pos < text.length) {
    const next = text.indexOf('\n', pos);
    out.push(redact(stripRayPrefix(cleanLine(text.slice(pos, next < 0 ? Math.min(text.length, pos + MAX_LINE_CHARS) : Math.min(next, pos + MAX_LINE_CHARS))))));
    if (next < 0) break;
    pos = next + 1;
  }
  return out;
}

const redactEvidence = (e: Evidence): Evidence => ({ ...e, line: redact(e.line) });

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
