// Typed errors of the SkyPilot adapter. Every message names the command that was run, so a user
// reading an agent transcript or a CI log can re-run it by hand.

export type SkyErrorKind =
  | 'not_installed' // the `sky` executable could not be started
  | 'timeout' // no answer within the time limit
  | 'command_failed' // non-zero exit (SkyPilot exception, usage error, API server down, …)
  | 'bad_output' // exit 0 but the output is not what SkyPilot prints (garbage, truncated)
  | 'job_not_found' // a job id SkyPilot does not know
  | 'launch_no_id'; // a launch that printed no managed job id

export class SkyError extends Error {
  override readonly name = 'SkyError';
  constructor(
    readonly kind: SkyErrorKind,
    message: string,
    readonly command: string,
    readonly details: {
      exitCode?: number | undefined;
      /** e.g. `ApiServerConnectionError` from `sky.exceptions.ApiServerConnectionError: …` */
      exceptionClass?: string | undefined;
      /** The last lines of output, for context. */
      outputTail?: string | undefined;
      jobId?: number | undefined;
    } = {},
  ) {
    super(message);
  }
}

const EXCEPTION_LINE = /^(?:sky\.exceptions\.|[\w.]*?)(\w+(?:Error|Exception)): (.*)$/;

/** The most useful line of a failed command's stderr: a SkyPilot exception, a click `Error:`, else the last line. */
export function usefulErrorLine(stderr: string): { line: string; exceptionClass?: string } {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  for (const line of lines) {
    const m = EXCEPTION_LINE.exec(line);
    if (m) return { line, exceptionClass: m[1] };
  }
  const clickError = lines.find((l) => l.startsWith('Error: '));
  if (clickError) return { line: clickError };
  return { line: lines.at(-1) ?? '(no output on stderr)' };
}

export function tailLines(text: string, n: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}
