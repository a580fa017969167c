// `sky-sim sim advance|reset|now|registry|push`: the simulator's own admin commands (not SkyPilot's).
import { SimConfigError } from '../errors.js';
import { stdout } from '../output.js';
import { readState, resetState, simNow, updateState } from '../state.js';
import { parseDuration } from '../duration.js';
export async function simAdmin(argv) {
    const [sub, arg] = argv;
    if (sub === 'advance') {
        const secs = arg === undefined ? undefined : parseDuration(arg);
        if (secs === undefined)
            throw new SimConfigError("usage: sky-sim sim advance <seconds|duration like '90m'>");
        const now = await updateState((s) => {
            s.offset += secs;
            return simNow(s);
        });
        await stdout.line(String(now));
        return 0;
    }
    if (sub === 'reset') {
        await resetState();
        return 0;
    }
    if (sub === 'now') {
        const now = simNow(readState());
        await stdout.line(`${now} ${new Date(now * 1000).toISOString()}`);
        return 0;
    }
    if (sub === 'registry')
        return (await import('../registry/registry-commands.js')).serveRegistry(argv.slice(1));
    if (sub === 'push')
        return (await import('../registry/registry-commands.js')).pushToRegistry(argv.slice(1));
    throw new SimConfigError('usage: sky-sim sim advance <seconds> | sim reset | sim now | sim registry [--port N] | sim push <127.0.0.1:port/repo:tag> [--label K=V]...');
}
