// Runs the Python contract harness (harness/sky_contract.py) with one SkyPilot release's interpreter:
// one process per batch of scenarios, each command a fresh `sky` process forked from it.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContractVersion } from './skypilot-versions.js';
import type { Scenario } from './scenario.js';

const HARNESS_DIR = fileURLToPath(new URL('./harness/', import.meta.url));

export interface CommandResult {
  argv: string[];
  stdout: string;
  stderr: string;
  /** null when the command did not finish within its time limit (and was stopped). */
  exit_code: number | null;
  timed_out: boolean;
}

export interface ScenarioResult {
  id: string;
  job_ids: number[];
  results: CommandResult[];
}

export interface HarnessRun {
  version: string;
  scenarios: ScenarioResult[];
}

export async function runHarness(v: ContractVersion, scenarios: Scenario[]): Promise<Map<string, ScenarioResult>> {
  if (!v.venv) throw new Error(`SkyPilot ${v.version} is not installed`);
  const home = mkdtempSync(join(tmpdir(), `skyloop-contract-${v.version}-`));
  // Its own process group, ended whole when the run ends: a harness stopped at its time limit never runs its
  // own cleanup, and the API server and request workers SkyPilot started would outlive the test.
  const harness = execa(v.venv.python, [join(HARNESS_DIR, 'sky_contract.py')], {
    input: JSON.stringify(scenarios),
    // SkyPilot's state lives under HOME; a fresh one per run. The clock is UTC like a CI machine's.
    // PYTHONUNBUFFERED as SkyPilot's API server image sets it (Dockerfile_k8s): a request's `print` reaches its
    // log at once. Without it (a server `sky api start`ed locally, stdout a file) 0.9.3's cancel prints its
    // result with a buffered print that is flushed only after the request's output is restored, into the
    // server's own log: the client shows nothing.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      TZ: 'UTC',
      PYTHONPATH: HARNESS_DIR,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
    },
    extendEnv: false,
    reject: false,
    timeout: 15 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
    detached: true,
  });
  try {
    const r = await harness;
    if (r.exitCode !== 0) {
      throw new Error(`contract harness for SkyPilot ${v.version} failed (exit ${r.exitCode}):\n${String(r.stderr).slice(-4000)}`);
    }
    const run = JSON.parse(String(r.stdout)) as HarnessRun;
    if (run.version !== v.version) throw new Error(`venv skypilot-${v.version} runs SkyPilot ${run.version}`);
    return new Map(run.scenarios.map((s) => [s.id, s]));
  } finally {
    endGroup(harness.pid);
    rmSync(home, { recursive: true, force: true });
  }
}

function endGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group has already ended
  }
}
