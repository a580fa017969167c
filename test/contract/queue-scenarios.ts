// `sky jobs queue` scenarios: every status the release has, pipelines, recoveries, spot and on-demand,
// long names, several users, the 50-row limit, no jobs, and a controller that is stopped or gone.
import type { ContractVersion } from './skypilot-versions.js';
import { HOUR, lifeUntil, MIN, NOW, USERS, type ContractJob, type Scenario } from './scenario.js';

const SPOT = '1x[H100:8][Spot]';
const ON_DEMAND = '1x[A100:8]';

/** The commands skyloop's adapter runs (SkyCli.queue) and the ones a user types. */
export const ADAPTER_JSON = ['jobs', 'queue', '-a', '-v', '-o', 'json'];
export const ADAPTER_TABLE = ['jobs', 'queue', '-a', '-v'];

function queueCommands(...extra: string[][]) {
  return [ADAPTER_JSON, ADAPTER_TABLE, ...extra].map((argv) => ({ argv }));
}

const FAILURE_REASONS: Record<string, string> = {
  FAILED: 'To see the details, run: sky jobs logs --controller 9',
  FAILED_SETUP: 'To see the details, run: sky jobs logs --controller 10',
  FAILED_PRECHECKS:
    "[sky.exceptions.ResourcesUnavailableError] Task 'precheck' requires AWS which is not enabled. To enable access, change the task cloud requirement or run: sky check aws",
  FAILED_NO_RESOURCE: 'Resources unavailable: failed to launch clusters after 240 retries.',
  FAILED_CONTROLLER: 'Controller process has exited abnormally. For more details, run: sky jobs logs --controller 13',
};

function single(name: string, resources: string, events: [string, number][], user?: string): ContractJob {
  const last = events.at(-1)![0];
  const task = { name, resources, events, ...(FAILURE_REASONS[last] ? { failure_reason: FAILURE_REASONS[last] } : {}) };
  return { name, ...(user ? { user } : {}), tasks: [task] };
}

export function queueScenarios(v: ContractVersion): Scenario[] {
  const submitted = v.has.submittedStatus;
  const statuses = [
    'PENDING',
    ...(submitted ? ['SUBMITTED'] : []),
    'STARTING',
    'RUNNING',
    'RECOVERING',
    'CANCELLING',
    'SUCCEEDED',
    'CANCELLED',
    'FAILED',
    'FAILED_SETUP',
    'FAILED_PRECHECKS',
    'FAILED_NO_RESOURCE',
    'FAILED_CONTROLLER',
  ];
  const everyStatus: ContractJob[] = statuses.map((s, i) =>
    single(s.toLowerCase().replaceAll('_', '-'), i % 2 ? SPOT : ON_DEMAND, lifeUntil(s, (i + 1) * 7 * MIN + 3 * HOUR * (i % 3), { submitted })),
  );
  const pipelineStart = NOW - 2 * HOUR;
  const pipeline: ContractJob = {
    name: 'pipeline',
    tasks: [
      { name: 'prep', resources: '1x[CPU:4+]', events: [['PENDING', pipelineStart], ...(submitted ? [['SUBMITTED', pipelineStart + 5] as [string, number]] : []), ['STARTING', pipelineStart + 10], ['RUNNING', pipelineStart + 60], ['SUCCEEDED', pipelineStart + 30 * MIN]] },
      { name: 'train', resources: SPOT, events: [['PENDING', pipelineStart], ...(submitted ? [['SUBMITTED', pipelineStart + 30 * MIN + 5] as [string, number]] : []), ['STARTING', pipelineStart + 30 * MIN + 10], ['RUNNING', pipelineStart + 31 * MIN], ['RECOVERING', pipelineStart + 50 * MIN], ['RUNNING', pipelineStart + 55 * MIN]] },
      { name: 'eval', resources: '1x[L4:1]', events: [['PENDING', pipelineStart]] },
    ],
  };
  const recovered = single('recovered-twice', SPOT, lifeUntil('RUNNING', 5 * HOUR, { submitted, recoveries: 2 }));
  const longName = single(`sweep-${'x'.repeat(40)}-lr0.001-bs256-fold4`, SPOT, lifeUntil('SUCCEEDED', 26 * HOUR, { submitted }));
  const scenarios: Scenario[] = [
    {
      id: 'every-status',
      now: NOW,
      jobs: [...everyStatus, pipeline, recovered, longName],
      // A bare `-s` is `--skip-finished` before 0.13, its deprecated alias after (with a warning).
      commands: queueCommands(['jobs', 'queue'], ['jobs', 'queue', '--skip-finished'], ['jobs', 'queue', '-s']),
    },
    {
      id: 'two-users',
      now: NOW,
      users: USERS,
      jobs: [
        single('alice-run', SPOT, lifeUntil('RUNNING', 40 * MIN, { submitted }), 'alice'),
        single('bob-run', ON_DEMAND, lifeUntil('RUNNING', 30 * MIN, { submitted }), 'bob'),
        single('bob-done', ON_DEMAND, lifeUntil('SUCCEEDED', 3 * HOUR, { submitted }), 'bob'),
      ],
      commands: queueCommands(['jobs', 'queue', '-u'], ['jobs', 'queue', '-u', '-v']),
    },
    {
      id: 'fifty-five-jobs',
      now: NOW,
      jobs: Array.from({ length: 55 }, (_, i) => single(`grid-${i}`, SPOT, lifeUntil(i % 5 ? 'SUCCEEDED' : 'RUNNING', (90 - i) * MIN, { submitted }))),
      commands: queueCommands(['jobs', 'queue']),
    },
    { id: 'no-jobs', now: NOW, jobs: [], commands: queueCommands(['jobs', 'queue']) },
    {
      id: 'controller-stopped',
      now: NOW,
      controller: 'stopped',
      jobs: [single('old', SPOT, lifeUntil('SUCCEEDED', 2 * HOUR, { submitted }))],
      commands: queueCommands(),
    },
    { id: 'controller-absent', now: NOW, controller: 'absent', jobs: [], commands: queueCommands() },
  ];
  return scenarios;
}
