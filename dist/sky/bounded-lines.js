// Splitting a byte stream into lines with bounded memory: a line longer than the cap keeps its head and
// its tail (where an error at the end of a huge line is), joined by a marker saying how much was cut.
// Any input — a 500 MB line, a 2 GB log — stays within a few times the cap.
export const MAX_LINE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
export async function* boundedLines(stream, maxBytes = MAX_LINE_BYTES) {
    const half = Math.floor(maxBytes / 2);
    let head = null;
    let parts = [];
    let length = 0;
    let cut = 0;
    const add = (seg) => {
        if (seg.length === 0)
            return;
        parts.push(seg);
        length += seg.length;
        if (length <= maxBytes)
            return;
        let all = Buffer.concat(parts, length);
        if (head === null) {
            head = Buffer.from(all.subarray(0, half));
            all = all.subarray(half);
        }
        const tail = Buffer.from(all.subarray(Math.max(0, all.length - half)));
        cut += all.length - tail.length;
        parts = [tail];
        length = tail.length;
    };
    const take = () => {
        const rest = Buffer.concat(parts, length).toString('utf8');
        const line = head === null ? rest : `${head.toString('utf8')} …[${cut} bytes of this line cut]… ${rest}`;
        head = null;
        parts = [];
        length = 0;
        cut = 0;
        return line;
    };
    for await (const chunk of stream) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        let start = 0;
        for (let nl = buf.indexOf(NEWLINE, start); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
            add(buf.subarray(start, nl));
            start = nl + 1;
            yield take();
        }
        add(Buffer.from(buf.subarray(start)));
    }
    if (length > 0 || head !== null)
        yield take();
}
