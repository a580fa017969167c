// Contract scenarios: a frozen instant, the jobs controller's state, managed jobs given as status
// transitions, and the `sky` commands to run. The same scenario feeds the Python harness (real SkyPilot)
// and the simulator's state (sim-world.ts), so both print about the same jobs.

export type ControllerState = 'up' | 'stopped' | 'absent';

export interface ContractTask {
  name: string;
  resources: string;
  /** [status, unix seconds], in order; the first is PENDING. */
  events: [string, number][];
  failure_reason?: string;
  /** The log the controller kept of the finished task; absent: none was kept. */
  log?: string[];
}

export interface ContractJob {
  name: string;
  user?: string;
  /** A started job whose controller process is alive (the harness runs a stand-in that never acts on a cancel). */
  controller_alive?: boolean;
  tasks: ContractTask[];
}

export interface ContractCommand {
  argv: string[];
  user?: string;
  /** Seconds before the harness stops the command (a call that would wait forever). */
  timeout?: number;
}

export interface Scenario {
  id: string;
  now: number;
  controller?: ControllerState;
  /** user name → 8-hex user hash; the first is the one running the commands unless a command says. */
  users?: Record<string, string>;
  jobs: ContractJob[];
  commands: ContractCommand[];
}

export const USERS = { alice: 'a11ce000', bob: 'b0b00000' };
/** 2026-01-01T00:00:00Z. */
export const NOW = 1_767_225_600;

const MIN = 60;
const HOUR = 3600;

/** The usual life of a task up to `last`, starting `ago` seconds before NOW. */
export function lifeUntil(
  last: string,
  ago: number,
  o: { submitted?: boolean; recoveries?: number; runFor?: number } = {},
): [string, number][] {
  const t0 = NOW - ago;
  const ev: [string, number][] = [['PENDING', t0]];
  if (last === 'PENDING') return ev;
  if (o.submitted) ev.push(['SUBMITTED', t0 + 10]);
  if (last === 'SUBMITTED') return ev;
  ev.push(['STARTING', t0 + 20]);
  if (last === 'STARTING') return ev;
  if (last === 'FAILED_PRECHECKS' || last === 'FAILED_NO_RESOURCE') {
    ev.push([last, t0 + 80]);
    return ev;
  }
  let t = t0 + 100;
  ev.push(['RUNNING', t]);
  for (let k = 0; k < (o.recoveries ?? 0); k++) {
    ev.push(['RECOVERING', t + 10 * MIN]);
    t += 15 * MIN;
    ev.push(['RUNNING', t]);
  }
  if (last === 'RUNNING') return ev;
  if (last === 'RECOVERING') {
    ev.push(['RECOVERING', t + 5 * MIN]);
    return ev;
  }
  const end = t + (o.runFor ?? 20 * MIN);
  if (last === 'CANCELLING' || last === 'CANCELLED') {
    ev.push(['CANCELLING', end]);
    if (last === 'CANCELLED') ev.push(['CANCELLED', end + 8]);
    return ev;
  }
  ev.push([last, end]);
  return ev;
}

export { HOUR, MIN };
