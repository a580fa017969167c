import type { JobAnalysis } from './analyze-job.js';
import { FAILURE_REASON_LINE, type LogAnalysis } from './analyze-log.js';

/** The human view of one analysis. Log text is quoted data, shown behind a gutter. */
export function renderAnalysis(a: LogAnalysis & Partial<Pick<JobAnalysis, 'log' | 'log_reason'>>): string {
  const out = [`${a.category}  confidence ${a.confidence}: ${a.confidence_reason}`, `  ${a.description}`, `  fixability: ${a.fixability}`];
  const facts = [a.exception_type && `exception: ${a.exception_type}`, a.exit_code !== null && `exit code: ${a.exit_code}`].filter(Boolean);
  if (facts.length) out.push(`  ${facts.join('   ')}`);
  if (a.log !== undefined && a.log_reason !== undefined) out.push(`  read the ${a.log} log: ${a.log_reason}`);
  if (a.failure_reason !== null) out.push(`  SkyPilot's failure reason: ${a.failure_reason}`);
  for (const e of a.evidence) {
    out.push(e.line_number === FAILURE_REASON_LINE ? "  evidence (SkyPilot's failure reason, read as line 0):" : `  evidence (line ${e.line_number}):`);
    e.before.forEach((l, i) => out.push(`    ${String(e.line_number - e.before.length + i).padStart(7)} | ${l}`));
    out.push(`  > ${String(e.line_number).padStart(7)} | ${e.line}`);
    e.after.forEach((l, i) => out.push(`    ${String(e.line_number + 1 + i).padStart(7)} | ${l}`));
  }
  if (a.candidates.length) {
    out.push(`  not confident (${a.confidence}): judge from these lines which cause came first, and record it as your own classification:`);
    for (const c of a.candidates) out.push(`    ${c.category}  line ${c.line_number}${c.live ? '' : ' (earlier)'} | ${c.line}`);
  }
  out.push(`  fix: ${a.fix_strategy}`);
  if (a.affected_files.length) out.push(`  files: ${a.affected_files.join(', ')}`);
  out.push(`  retry: ${a.retry}`);
  const others = a.seen.filter((s) => s.category !== a.category);
  if (others.length) out.push(`  also seen: ${others.map((s) => `${s.category} (${s.lines} line(s) from line ${s.first_line}${s.live ? '' : ', earlier'})`).join(', ')}`);
  out.push(`  fingerprint: ${a.fingerprint}`, `  scanned ${a.lines} lines, ${a.bytes} bytes`);
  return out.join('\n') + '\n';
}
