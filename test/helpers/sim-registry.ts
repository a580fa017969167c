import { execa } from 'execa';
import { SKY_SIM } from './paths.js';

/**
 * The simulator's OCI registry (`sky-sim sim registry`) on a free loopback port, for the lifetime of a
 * test. Its first stdout line must name the port: `Registry listening on http://127.0.0.1:<port>`.
 */
export async function startSimRegistry(
  env: Record<string, string>,
  { port = 0 } = {},
): Promise<{ host: string; firstLine: string; stop: () => Promise<number | undefined> }> {
  const child = execa(SKY_SIM, ['sim', 'registry', '--port', String(port)], { env, reject: false, buffer: false, stdin: 'ignore' });
  const firstLine = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (d: Buffer) => {
      text += String(d);
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl));
    });
    void child.then((r) => reject(new Error(`sky-sim sim registry exited ${r.exitCode}`)));
  });
  const m = /^Registry listening on http:\/\/(127\.0\.0\.1:\d+)$/.exec(firstLine);
  if (!m?.[1]) throw new Error(`unexpected first line of sky-sim sim registry: ${firstLine}`);
  return {
    host: m[1],
    firstLine,
    /** Stops it with SIGTERM and returns its exit code. */
    stop: async () => {
      child.kill('SIGTERM');
      return (await child).exitCode;
    },
  };
}
