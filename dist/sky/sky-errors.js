// Typed errors of the SkyPilot adapter. Every message names the command that was run, so a user
// reading an agent transcript or a CI log can re-run it by hand.
export class SkyError extends Error {
    kind;
    command;
    details;
    name = 'SkyError';
    constructor(kind, message, command, details = {}) {
        super(message);
        this.kind = kind;
        this.command = command;
        this.details = details;
    }
}
const EXCEPTION_LINE = /^(?:sky\.exceptions\.|[\w.]*?)(\w+(?:Error|Exception)): (.*)$/;
/** The most useful line of a failed command's stderr: a SkyPilot exception, a click `Error:`, else the last line. */
export function usefulErrorLine(stderr) {
    const lines = stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    for (const line of lines) {
        const m = EXCEPTION_LINE.exec(line);
        if (m)
            return { line, exceptionClass: m[1] };
    }
    const clickError = lines.find((l) => l.startsWith('Error: '));
    if (clickError)
        return { line: clickError };
    return { line: lines.at(-1) ?? '(no output on stderr)' };
}
export function tailLines(text, n) {
    const lines = text.trimEnd().split('\n');
    return lines.slice(-n).join('\n');
}
