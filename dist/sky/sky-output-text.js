// Cleaning of text SkyPilot prints: lines relayed from its API server keep ANSI colours, and streamed
// responses interleave `<sky-payload>…</sky-payload>` control lines (sky/utils/message_utils.py).
// CSI sequences (colours, cursor moves) and OSC hyperlinks.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const PAYLOAD = /<sky-payload>.*?<\/sky-payload>/g;
export const stripAnsi = (s) => s.replace(ANSI, '');
/** Strip colours and control payloads; `\r` progress redraws keep only their final state. */
export function cleanLine(raw) {
    // A terminal capture ends lines with `\r\n`: that `\r` ends the line, it redraws nothing.
    let line = raw.replace(PAYLOAD, '').replace(/\r+$/, '');
    const cr = line.lastIndexOf('\r');
    if (cr >= 0)
        line = line.slice(cr + 1);
    return stripAnsi(line);
}
/** Split command output into clean lines, dropping lines that were only control payloads. */
export function cleanLines(text) {
    const out = [];
    for (const raw of text.split('\n')) {
        if (raw.includes('<sky-payload>') && cleanLine(raw).trim() === '')
            continue;
        out.push(cleanLine(raw));
    }
    return out;
}
