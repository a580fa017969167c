// click.confirm on a non-interactive stdin: print the prompt, read one line; EOF aborts.
import { ClickAbort } from './errors.js';
import { out } from './ansi.js';
import { stdout } from './output.js';
let buffered = '';
let ended = false;
async function readLine() {
    const stdin = process.stdin;
    for (;;) {
        const nl = buffered.indexOf('\n');
        if (nl >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            return line;
        }
        if (ended) {
            if (buffered === '')
                return undefined;
            const line = buffered;
            buffered = '';
            return line;
        }
        const chunk = await new Promise((resolve) => {
            const onData = (d) => {
                cleanup();
                resolve(d.toString('utf8'));
            };
            const onEnd = () => {
                cleanup();
                resolve(undefined);
            };
            const cleanup = () => {
                stdin.removeListener('data', onData);
                stdin.removeListener('end', onEnd);
                stdin.removeListener('error', onEnd);
                stdin.pause();
            };
            stdin.on('data', onData);
            stdin.once('end', onEnd);
            stdin.once('error', onEnd);
            stdin.resume();
        });
        if (chunk === undefined)
            ended = true;
        else
            buffered += chunk;
    }
}
/** `click.confirm(text, default=…, abort=True)`. */
export async function confirm(text, defaultYes) {
    const suffix = defaultYes ? ' [Y/n]: ' : ' [y/N]: ';
    for (;;) {
        await stdout.raw(out(text + suffix));
        await stdout.flush();
        const answer = await readLine();
        if (answer === undefined)
            throw new ClickAbort();
        const a = answer.trim().toLowerCase();
        if (a === '') {
            if (defaultYes)
                return;
            throw new ClickAbort();
        }
        if (a === 'y' || a === 'yes')
            return;
        if (a === 'n' || a === 'no')
            throw new ClickAbort();
        await stdout.raw('Error: invalid input\n');
    }
}
