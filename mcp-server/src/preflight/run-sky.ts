// The default way the GPU check runs `sky gpus list`: the SkyPilot adapter has no method for it (yet),
// so this runs `$SKYLOOP_SKY_BIN` (else `sky`) directly, arguments as an array, with a time limit.
import { execa } from 'execa';
import { skyTimeouts } from '../sky/sky-timeouts.js';

export type RunSky = (args: string[]) => Promise<string>;

export function defaultRunSky(env: NodeJS.ProcessEnv, signal?: AbortSignal, timeoutMs = skyTimeouts(env).gpus): RunSky {
  const bin = env.SKYLOOP_SKY_BIN ?? 'sky';
  return async (args) => {
    const result = await execa(bin, args, {
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      timeout: timeoutMs,
      forceKillAfterDelay: 2_000,
      ...(signal ? { cancelSignal: signal } : {}),
      maxBuffer: 16 * 1024 * 1024,
    });
    const command = `${bin} ${args.join(' ')}`;
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new Error(`cannot run \`${bin}\`: install SkyPilot or set SKYLOOP_SKY_BIN (e.g. SKYLOOP_SKY_BIN=./bin/sky-sim)`);
    }
    if (result.timedOut) throw new Error(`\`${command}\` did not finish within ${timeoutMs / 1000} s`);
    if (result.isCanceled) throw new Error(`\`${command}\` was stopped`);
    if (result.exitCode !== 0) {
      const lines = String(result.stderr || result.stdout).trim().split('\n');
      const useful = lines.filter((l) => /error/i.test(l)).at(-1) ?? lines.at(-1) ?? '';
      throw new Error(`\`${command}\` failed with exit code ${result.exitCode}: ${useful.trim()}`);
    }
    return String(result.stdout);
  };
}
