import { execa } from 'execa';
import { join } from 'node:path';
import { SKY_SIM, tempDir } from './paths.js';

/** A private simulator world: its own state dir, a frozen clock (advanced explicitly), optional scenario. */
export function simWorld(extraEnv: Record<string, string> = {}) {
  const home = tempDir('sim');
  const env: Record<string, string> = { SKYLOOP_SIM_HOME: home, SKYLOOP_SIM_SPEED: '0', ...extraEnv };
  return {
    home,
    env,
    /** Moves simulated time forward by `seconds`. */
    advance: async (seconds: number) => {
      await execa(SKY_SIM, ['sim', 'advance', String(seconds)], { env });
    },
    sky: (args: string[], more: Record<string, string> = {}) =>
      execa(SKY_SIM, args, { env: { ...env, ...more }, reject: false, stdin: 'ignore' }),
    taskFile: (dir = home) => join(dir, 'task.yaml'),
  };
}
