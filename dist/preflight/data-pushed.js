// Pre-flight: is the training data in the DVC remote the job will pull from? Runs
// `dvc status -r <remote>` (compare the local cache with the remote) in the DVC project.
import { execa } from 'execa';
import { checkClock, errorMessage, notAFlag } from './check-result.js';
export const DVC_INSTALL_HINT = "install DVC with the remote's extra, e.g. `pipx install 'dvc[s3]'` (or gs, azure, ssh), or set SKYLOOP_DVC_BIN";
/** Statuses that mean the remote lacks what the project tracks (`deleted` = only in the remote, which is fine). */
const NOT_PUSHED = new Set(['new', 'missing', 'modified']);
/** The `<status>: <path>` lines of `dvc status` output that say the remote is behind. */
export function parseDvcStatus(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const m = /^\s*(new|missing|modified|deleted):\s*(.*)$/i.exec(line);
        if (!m)
            continue;
        const status = m[1].toLowerCase();
        if (NOT_PUSHED.has(status) && m[2] !== '')
            out.push({ status, path: m[2].trim() });
    }
    return out;
}
export async function checkDataPushed(input, deps) {
    const clock = checkClock('data_pushed');
    if (input.dvc_remote === undefined || input.dvc_remote === '') {
        return clock.skipped('no dvc_remote given: the task is taken not to use DVC data');
    }
    const bin = deps.env.SKYLOOP_DVC_BIN ?? 'dvc';
    const cwd = input.dvc_dir ?? process.cwd();
    let remote;
    try {
        remote = notAFlag('dvc_remote', input.dvc_remote);
    }
    catch (e) {
        return clock.fail(errorMessage(e), 'give the name of a remote from `dvc remote list`');
    }
    const command = `dvc status -r ${remote}`;
    const result = await execa(bin, ['status', '-r', remote], {
        cwd,
        env: deps.env,
        extendEnv: false,
        stdin: 'ignore',
        reject: false,
        all: true,
        timeout: 10 * 60_000,
        forceKillAfterDelay: 2_000,
        ...(deps.signal ? { cancelSignal: deps.signal } : {}),
    });
    const code = result.cause?.code;
    if (code === 'ENOENT' && result.exitCode === undefined) {
        return clock.skipped(`dvc is not installed (cannot run \`${bin}\`); ${DVC_INSTALL_HINT}`, DVC_INSTALL_HINT);
    }
    const all = String(result.all ?? '');
    if (result.exitCode !== 0) {
        const lines = all.trim().split('\n');
        const error = lines.find((l) => /^ERROR/i.test(l.trim())) ?? lines.at(-1) ?? `exit code ${result.exitCode}`;
        return clock.fail(`\`${command}\` failed in ${cwd}: ${error.trim()}`, `check that ${cwd} is a DVC project, that remote '${remote}' exists (\`dvc remote list\`) and its credentials are set`);
    }
    const behind = parseDvcStatus(all);
    if (behind.length === 0)
        return clock.pass(`\`${command}\`: the remote has everything the project tracks`, null, { not_pushed: [] });
    const shown = behind.slice(0, 5).map((b) => `${b.path} (${b.status})`);
    return clock.fail(`${behind.length} path(s) not pushed to '${remote}': ${shown.join(', ')}${behind.length > 5 ? ', …' : ''}`, `run \`dvc push -r ${remote}\` in ${cwd} (for 'modified', \`dvc add\`/\`dvc commit\` first)`, { not_pushed: behind.slice(0, 50) });
}
