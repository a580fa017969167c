// `dvc status -r <remote>` through a fake `dvc` executable first on PATH.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataPushed, parseDvcStatus } from '../../mcp-server/src/preflight/data-pushed.js';
import { tempDir } from '../helpers/paths.js';
import { binDir, withPath } from './preflight-fixtures.js';

/** A fake dvc that records its arguments and working directory, then prints `output` and exits with `code`. */
function fakeDvc(output: string, code = 0): { env: NodeJS.ProcessEnv; log: string } {
  const log = join(tempDir('preflight-dvc-log'), 'calls');
  const dir = binDir({ dvc: `echo "$PWD $*" >> '${log}'\ncat <<'OUT'\n${output}\nOUT\nexit ${code}` });
  return { env: withPath(process.env, dir), log };
}

describe('data_pushed', () => {
  it('passes when the cache and the remote are in sync, running `dvc status -r <remote>` in dvc_dir', async () => {
    const { env, log } = fakeDvc("Cache and remote 'storage' are in sync.");
    const dir = tempDir('preflight-dvc-project');
    const r = await checkDataPushed({ dvc_remote: 'storage', dvc_dir: dir }, { env });
    expect(r).toMatchObject({ name: 'data_pushed', status: 'pass', fix_hint: null, data: { not_pushed: [] } });
    expect(readFileSync(log, 'utf8').trim()).toBe(`${dir} status -r storage`);
  });

  it('fails on "new", "missing" and "modified" lines, hinting `dvc push -r <remote>`', async () => {
    const { env } = fakeDvc('\tnew:                data/raw/imagesTr\n\tmissing:            data/splits.json\n\tdeleted:            data/old\n\tmodified:           data/labels');
    const r = await checkDataPushed({ dvc_remote: 'storage', dvc_dir: tempDir('preflight-dvc-project') }, { env });
    expect(r.status).toBe('fail');
    expect(r.detail).toBe("3 path(s) not pushed to 'storage': data/raw/imagesTr (new), data/splits.json (missing), data/labels (modified)");
    expect(r.fix_hint).toContain('dvc push -r storage');
    // `deleted` = only in the remote, which a pull does not mind.
    expect((r.data?.not_pushed as { path: string }[]).map((e) => e.path)).not.toContain('data/old');
  });

  it('fails with the ERROR line when dvc itself fails (unknown remote)', async () => {
    const { env } = fakeDvc("ERROR: config file error: remote 'nope' doesn't exist", 251);
    const r = await checkDataPushed({ dvc_remote: 'nope', dvc_dir: tempDir('preflight-dvc-project') }, { env });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain("remote 'nope' doesn't exist");
    expect(r.fix_hint).toContain('dvc remote list');
  });

  it('is skipped without dvc_remote, and when dvc is not installed (saying how to install it)', async () => {
    const { env } = fakeDvc('');
    const noRemote = await checkDataPushed({}, { env });
    expect(noRemote).toMatchObject({ status: 'skipped', fix_hint: null });
    expect(noRemote.detail).toContain('no dvc_remote');
    const noDvc = await checkDataPushed({ dvc_remote: 'storage', dvc_dir: tempDir('preflight-dvc-project') }, { env: { PATH: binDir({}) } });
    expect(noDvc.status).toBe('skipped');
    expect(noDvc.detail).toContain('dvc is not installed');
    expect(noDvc.detail).toContain("pipx install 'dvc[s3]'");
    expect(noDvc.fix_hint).toContain("pipx install 'dvc[s3]'");
  });

  it('refuses a remote name that looks like a flag', async () => {
    const { env, log } = fakeDvc('');
    const r = await checkDataPushed({ dvc_remote: '--all', dvc_dir: tempDir('preflight-dvc-project') }, { env });
    expect(r.status).toBe('fail');
    expect(() => readFileSync(log)).toThrow();
  });
});

describe('parseDvcStatus', () => {
  it('keeps new / missing / modified and ignores deleted and prose', () => {
    expect(parseDvcStatus("Data and pipelines are up to date.\n\tdeleted: a\n\tnew: b\nchanged outs:\n\t\tmodified: c")).toEqual([
      { status: 'new', path: 'b' },
      { status: 'modified', path: 'c' },
    ]);
  });
});
