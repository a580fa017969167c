// A launch whose outcome sky left unclear — it submitted the job and then exited non-zero, or printed the
// id in a form the parser missed (CRLF line ends, no id line) — is never counted as failed: it is reconciled
// with the queue by job name, at once and on every poll, and following the rules never launches it twice.
import { execa } from 'execa';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SKY_SIM, SKYLOOP } from '../helpers/paths.js';
import { factorialWorld } from '../helpers/factorial-fixture.js';

/** A `sky` that runs the simulator but garbles what `sky jobs launch` reports, as real failures do. */
function faultySky(dir: string, mode: string): string {
  const path = join(dir, `sky-${mode}`);
  const launch: Record<string, string> = {
    // Submitted, then the client lost the API server: non-zero exit, an exception on stderr.
    'exit-1': `"${SKY_SIM}" "$@" >/dev/null; echo "requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))" >&2; exit 1`,
    // Windows line ends (a relay through a pty or a proxy).
    crlf: `"${SKY_SIM}" "$@" | sed 's/$/\\r/'`,
    // The id line missing from the output.
    'no-id': `"${SKY_SIM}" "$@" | grep -v 'ID: '`,
    // Exit 1 at once; the submission lands later (the API server still works on the request).
    'late-submit': `( while [ ! -f "${dir}/go" ]; do sleep 0.05; done; "${SKY_SIM}" "$@" >/dev/null ) >/dev/null 2>&1 & echo 'Error: request timed out' >&2; exit 1`,
  };
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = jobs ] && [ "$2" = launch ]; then\n${launch[mode]}\nexit $?\nfi\nexec "${SKY_SIM}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

function sixConditions() {
  const w = factorialWorld();
  writeFileSync(w.config, readFileSync(w.config, 'utf8').replace('  calibration: [false, true]\n', '').replace('  model: [dynunet, sam3]', '  model: [sam3]'));
  return w;
}

async function jobsPerName(env: Record<string, string>): Promise<Map<string, number[]>> {
  const queue = JSON.parse((await execa(SKYLOOP, ['queue', '--json'], { env: { ...env, SKYLOOP_SKY_BIN: SKY_SIM } })).stdout) as { jobs: { job_id: number; job_name: string }[] };
  const perName = new Map<string, number[]>();
  for (const j of queue.jobs) perName.set(j.job_name, [...(perName.get(j.job_name) ?? []), j.job_id]);
  return perName;
}

describe('an ambiguous launch', () => {
  for (const mode of ['exit-1', 'crlf', 'no-id']) {
    it(`(${mode}) is reconciled with the queue by job name, never launched a second time`, async () => {
      const w = sixConditions();
      const env = { ...w.env, SKYLOOP_SKY_BIN: faultySky(w.dir, mode) };
      const skyloop = (args: string[]) => execa(SKYLOOP, args, { env, reject: false, stdin: 'ignore' });
      const launch = await skyloop(['factorial', 'launch', w.config, '--json']);
      expect(launch.stderr).toBe('');
      const result = JSON.parse(launch.stdout);
      expect(result.failed).toEqual([]);
      expect(result.launched + result.reconciled).toBe(6);
      expect(w.manifest().jobs.every((j) => j.job_id !== null && j.attempts[0]?.launch_state === 'launched')).toBe(true);

      // Following the rules: re-run the launch, watch to the end, diagnose, try to relaunch.
      expect(JSON.parse((await skyloop(['factorial', 'launch', w.config, '--json'])).stdout)).toMatchObject({ launched: 0, already_launched: 6 });
      await w.advance(24 * 3600);
      expect((await skyloop(['factorial', 'watch', 'seg', '--interval', '0.1'])).exitCode).toBe(1); // sam3 fails (OOM)
      const diagnose = JSON.parse((await skyloop(['factorial', 'diagnose', 'seg', '--json'])).stdout);
      expect(diagnose.undiagnosed).toEqual([]);
      expect(diagnose.root_causes.map((r: { root_cause_id: string }) => r.root_cause_id)).toEqual(['OOM_CUDA']);
      const relaunch = await skyloop(['factorial', 'relaunch', 'seg']);
      expect(relaunch.stderr).toMatch(/F3 REBUILD-BEFORE-RELAUNCH/);

      const perName = await jobsPerName(w.env);
      expect(perName.size).toBe(6);
      expect([...perName.values()].filter((ids) => ids.length > 1)).toEqual([]);
    });
  }

  it('whose job shows up only later is outcome-unknown (not failed), blocks F1, and a poll adopts it', async () => {
    const w = sixConditions();
    const env = { ...w.env, SKYLOOP_SKY_BIN: faultySky(w.dir, 'late-submit') };
    const skyloop = (args: string[]) => execa(SKYLOOP, args, { env, reject: false, stdin: 'ignore' });
    const launch = await skyloop(['factorial', 'launch', w.config, '--json']);
    expect(launch.exitCode).toBe(1);
    const result = JSON.parse(launch.stdout);
    expect(result.failed).toEqual([]);
    expect(result.outcome_unknown).toHaveLength(6);
    expect(w.manifest().jobs.map((j) => j.status)).toEqual(Array(6).fill('LAUNCH_UNKNOWN'));

    // Nothing treats them as failed: no diagnosis, no relaunch, and a re-run launches nothing.
    expect((await skyloop(['factorial', 'diagnose', 'seg'])).stderr).toMatch(/F1 WAIT-FOR-TERMINAL: 6 job\(s\) of batch 0 are not terminal yet/);
    expect((await skyloop(['factorial', 'relaunch', 'seg'])).stderr).toMatch(/F1 WAIT-FOR-TERMINAL/);
    expect(JSON.parse((await skyloop(['factorial', 'launch', w.config, '--json'])).stdout)).toMatchObject({ launched: 0 });

    writeFileSync(join(w.dir, 'go'), '');
    let perName = new Map<string, number[]>();
    for (let i = 0; i < 400 && perName.size < 6; i++) {
      perName = await jobsPerName(w.env);
      if (perName.size < 6) await new Promise((r) => setTimeout(r, 100));
    }
    const status = JSON.parse((await skyloop(['factorial', 'status', 'seg', '--refresh', '--json'])).stdout);
    expect(status.counts.LAUNCH_UNKNOWN).toBeUndefined();
    const m = w.manifest();
    expect(m.jobs.every((j) => j.job_id !== null && j.attempts.length === 1)).toBe(true);
    expect(w.events().filter((e) => e.type === 'launched' && e.reconciled)).toHaveLength(6);
    expect([...(await jobsPerName(w.env)).values()].every((ids) => ids.length === 1)).toBe(true);
  });
});
