// One supervisor per experiment: a small JSON file next to the manifest says which process supervises it,
// since when, and when it last polled. A second supervisor is refused while the first is alive; a dead
// one's file (kill -9, a reboot) is taken over.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { withFileLock } from '../store/file-lock.js';
import { isProcessAlive } from '../util/process-scan.js';

export interface SupervisorRecord {
  pid: number;
  host: string;
  started_at: string;
  last_poll_at: string | null;
  polls: number;
  log: string | null;
}

export class SupervisorRunning extends Error {
  override readonly name = 'SupervisorRunning';
}

export const supervisorFile = (outputsDir: string, experimentId: string): string => join(outputsDir, `factorial_supervisor_${experimentId}.json`);
export const supervisorLog = (outputsDir: string, experimentId: string): string => join(outputsDir, `factorial_supervisor_${experimentId}.log`);

export function readSupervisor(outputsDir: string, experimentId: string): (SupervisorRecord & { alive: boolean }) | null {
  const file = supervisorFile(outputsDir, experimentId);
  if (!existsSync(file)) return null;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as SupervisorRecord;
    return { ...r, alive: r.host !== hostname() || isProcessAlive(r.pid) };
  } catch {
    return null;
  }
}

export class SupervisorLock {
  private record: SupervisorRecord;
  private constructor(private readonly file: string, record: SupervisorRecord) {
    this.record = record;
  }

  static async acquire(outputsDir: string, experimentId: string, log: string | null): Promise<SupervisorLock> {
    const file = supervisorFile(outputsDir, experimentId);
    return withFileLock(file, async () => {
      const other = readSupervisor(outputsDir, experimentId);
      if (other?.alive && other.pid !== process.pid) {
        throw new SupervisorRunning(
          `experiment '${experimentId}' already has a supervisor (pid ${other.pid} on ${other.host}, since ${other.started_at}); ` +
            `see skyloop factorial supervise status ${experimentId}`,
        );
      }
      const record = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), last_poll_at: null, polls: 0, log };
      await writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
      return new SupervisorLock(file, record);
    });
  }

  async polled(at: Date): Promise<void> {
    this.record = { ...this.record, last_poll_at: at.toISOString(), polls: this.record.polls + 1 };
    await writeFileAtomic(this.file, JSON.stringify(this.record, null, 2) + '\n');
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}
