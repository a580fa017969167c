// A command's peak resident memory, sampled from /proc while it runs (Linux).
import { execa, type Options } from 'execa';
import { readFileSync } from 'node:fs';

const vmRssKb = (pid: number): number => {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
};

/** Runs `file args` and returns its result with the largest RSS seen, in MB. */
export async function peakRss(file: string, args: string[], options: Options = {}) {
  const child = execa(file, args, { stdin: 'ignore', reject: false, ...options });
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, vmRssKb(child.pid!));
    } catch {
      /* exited */
    }
  }, 25);
  try {
    const r = await child;
    return { r: { ...r, stdout: String(r.stdout), stderr: String(r.stderr) }, peakMb: peakKb / 1024 };
  } finally {
    clearInterval(sampler);
  }
}
