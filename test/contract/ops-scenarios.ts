// `sky jobs cancel` and `sky jobs logs --no-follow` scenarios: pending, terminal, unknown, several and named
// jobs to cancel; logs of succeeded, failed and cancelled jobs with and without the log the controller kept;
// and both commands with the jobs controller gone.
import { profileFor } from '../../mcp-server/src/simulator/versions.js';
import type { ContractVersion } from './skypilot-versions.js';
import { HOUR, lifeUntil, MIN, NOW, type ContractJob, type Scenario } from './scenario.js';

const RES = '1x[A100:8]';
/** What a job cluster's run.log starts with (the controller keeps it from the `Waiting for task resources` line). */
const KEPT_LOG = ['\x1b[2m├── \x1b[0m\x1b[2mWaiting for task resources on 1 node.\x1b[0m', '(train, pid=4242) epoch 1 done'];
const REASON = 'To see the details, run: sky jobs logs --controller 2';

function job(v: ContractVersion, name: string, last: string, ago: number, o: { log?: boolean; reason?: boolean } = {}): ContractJob {
  const task = {
    name,
    resources: RES,
    events: lifeUntil(last, ago, { submitted: v.has.submittedStatus }),
    ...(o.log ? { log: KEPT_LOG } : {}),
    ...(o.reason ? { failure_reason: REASON } : {}),
  };
  return { name, tasks: [task] };
}

/** The commands skyloop's adapter runs (SkyCli.cancel, SkyCli.logs after SkyCli.version). */
export const cancelArgv = (...ids: string[]): string[] => ['jobs', 'cancel', '--yes', ...ids];
export const logsArgv = (id: number): string[] => ['jobs', 'logs', '--no-follow', String(id)];

// Seconds a command may take: SkyPilot's client, server and controller code is slow on a loaded machine.
const ANSWER = 120;
// A call SkyPilot never answers (0.9/0.10 wait forever for an unknown id) is stopped after this long. Only such
// a call gets it: a release that does answer may take longer than this on a busy machine.
const NEVER_ANSWERS = 20;

export function opsScenarios(v: ContractVersion): Scenario[] {
  const logJobs = [
    job(v, 'done', 'SUCCEEDED', 2 * HOUR, { log: true }),
    job(v, 'broke', 'FAILED', 2 * HOUR - 5 * MIN, { log: true, reason: true }),
    job(v, 'stopped', 'CANCELLED', 2 * HOUR - 10 * MIN, { log: true }),
    job(v, 'done-nolog', 'SUCCEEDED', 2 * HOUR - 15 * MIN),
    job(v, 'broke-nolog', 'FAILED', 2 * HOUR - 20 * MIN, { reason: true }),
    job(v, 'stopped-nolog', 'CANCELLED', 2 * HOUR - 25 * MIN),
  ];
  return [
    {
      id: 'logs',
      now: NOW,
      jobs: logJobs,
      commands: [
        { argv: ['--version'] },
        ...logJobs.map((_, i) => ({ argv: logsArgv(i + 1), timeout: ANSWER })),
        { argv: logsArgv(99), timeout: profileFor(v.emulate)!.has.logsUnknownJobNotFound ? ANSWER : NEVER_ANSWERS },
      ],
    },
    {
      id: 'cancel',
      now: NOW,
      jobs: [
        // Jobs waiting for the scheduler: the harness runs no controller process for a started job, and
        // SkyPilot's cancel (rightly) marks such a job FAILED_CONTROLLER instead of cancelling it.
        job(v, 'waiting', 'PENDING', 10 * MIN),
        job(v, 'queued-a', 'PENDING', 9 * MIN),
        job(v, 'done', 'SUCCEEDED', 2 * HOUR),
        job(v, 'named-wait', 'PENDING', 8 * MIN),
        job(v, 'queued-b', 'PENDING', 7 * MIN),
        job(v, 'queued-c', 'PENDING', 6 * MIN),
      ],
      commands: [
        { argv: cancelArgv('1'), timeout: ANSWER },
        { argv: cancelArgv('3') },
        { argv: cancelArgv('99') },
        { argv: cancelArgv('5', '6') },
        { argv: ['jobs', 'cancel', '--yes', '--name', 'named-wait'] },
        { argv: ['jobs', 'queue'] },
      ],
    },
    {
      // Started jobs with a live controller: SkyPilot's real cancel path (the signal to the controller). No queue
      // afterwards: the harness's stand-in controller never acts on the signal, a real one would within seconds.
      id: 'cancel-started',
      now: NOW,
      jobs: [
        { ...job(v, 'training', 'RUNNING', 30 * MIN), controller_alive: true },
        { ...job(v, 'recovering', 'RECOVERING', 40 * MIN), controller_alive: true },
        { ...job(v, 'also-training', 'RUNNING', 20 * MIN), controller_alive: true },
      ],
      commands: [
        { argv: cancelArgv('1'), timeout: ANSWER },
        { argv: cancelArgv('2', '3'), timeout: ANSWER },
      ],
    },
    {
      id: 'controller-down',
      now: NOW,
      controller: 'absent',
      jobs: [],
      commands: [{ argv: cancelArgv('1'), timeout: ANSWER }, { argv: logsArgv(1), timeout: ANSWER }],
    },
  ];
}
