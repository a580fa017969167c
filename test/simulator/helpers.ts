// Shared helpers for the simulator tests: run the built bin/sky-sim as a real child process.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SKY_SIM = join(ROOT, 'bin', 'sky-sim');
export const FIXTURES = join(ROOT, 'test', 'simulator', 'fixtures');

export interface SimResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export class SimHome {
  readonly dir: string;
  constructor(readonly env: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'sky-sim-test-'));
  }

  baseEnv(): Record<string, string> {
    return {
      SKYLOOP_SIM_HOME: this.dir,
      SKYLOOP_SIM_SPEED: '0',
      SKYLOOP_SIM_COLOR: 'never',
      SKYLOOP_SIM_FAILURE_LOGS: join(FIXTURES, 'failure-logs'),
      SKYPILOT_USER: 'alice',
      SKYPILOT_USER_ID: 'a11ce000',
      SKYLOOP_SIM_SCENARIO: '',
      SKYLOOP_SIM_FAULT: '',
      SKYLOOP_SIM_EMULATE: '',
      ...this.env,
    };
  }

  /** Starts `sky-sim ARGS` without waiting for it (e.g. a following launch the test moves the clock under). */
  start(args: string[], opts: { env?: Record<string, string>; input?: string; timeout?: number } = {}) {
    return execa(SKY_SIM, args, {
      env: { ...this.baseEnv(), ...opts.env },
      extendEnv: true,
      reject: false,
      input: opts.input ?? '',
      // A backstop against a hang, not a speed limit: a busy machine may take seconds to start node.
      timeout: opts.timeout ?? 600_000,
      stripFinalNewline: false,
    });
  }

  async run(args: string[], opts: { env?: Record<string, string>; input?: string; timeout?: number } = {}): Promise<SimResult> {
    const r = await this.start(args, opts);
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
  }

  file(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const TASK_YAML = `name: train
resources:
  accelerators: H100:8
  use_spot: true
envs:
  LR: "0.001"
setup: |
  echo "Installing deps"
run: |
  echo "Hello, SkyPilot!"
  python train.py
`;

/** Cells of a prettytable line, sliced at the header's column offsets. */
export function columnsOf(header: string): { name: string; start: number }[] {
  const cols: { name: string; start: number }[] = [];
  const re = /(\S+(?: \S+)*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null) cols.push({ name: m[1]!, start: m.index });
  return cols;
}

export function cellsOf(line: string, header: string): Record<string, string> {
  const cols = columnsOf(header);
  const out: Record<string, string> = {};
  cols.forEach((c, i) => {
    const end = cols[i + 1]?.start ?? line.length;
    out[c.name] = line.slice(c.start, end).trim();
  });
  return out;
}

/** The queue table: header + rows, from `sky jobs queue` stdout. */
export function queueTable(stdout: string): { header: string; rows: Record<string, string>[]; lines: string[] } {
  const lines = stdout.split('\n');
  const hi = lines.findIndex((l) => l.startsWith('ID  '));
  if (hi < 0) return { header: '', rows: [], lines: [] };
  const header = lines[hi]!;
  const body = lines.slice(hi + 1).filter((l) => l !== '' && !l.startsWith('Only showing'));
  return { header, rows: body.map((l) => cellsOf(l, header)), lines: [header, ...body] };
}
