import { execa } from 'execa';
/** The commit a launch runs from, so a result can be traced to its code. Outside git: nulls, no error. */
export async function gitState(cwd) {
    const opts = { cwd, reject: false, timeout: 10_000, stdin: 'ignore' };
    const head = await execa('git', ['rev-parse', 'HEAD'], opts);
    if (head.exitCode !== 0)
        return { commit: null, dirty: null };
    const status = await execa('git', ['status', '--porcelain', '--untracked-files=no'], opts);
    return { commit: String(head.stdout).trim(), dirty: status.exitCode === 0 ? String(status.stdout).trim() !== '' : null };
}
