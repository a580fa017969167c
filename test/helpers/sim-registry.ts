import { execa, type ResultPromise } from 'execa';
import { SKY_SIM } from './paths.js';

/** The simulator's OCI registry on a free loopback port, for the lifetime of a test. */
export async function startSimRegistry(env: Record<string, string>): Promise<{ host: string; stop: () => Promise<void> }> {
  const child: ResultPromise = execa(SKY_SIM, ['sim', 'registry', '--port', '0'], { env, reject: false, buffer: false, stdin: 'ignore' });
  const host = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sim registry did not start')), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      const m = /listening on http:\/\/(127\.0\.0\.1:\d+)/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
  });
  return {
    host,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}
