// What a contract scenario's jobs are, in skyloop's record vocabulary: the adapter must read exactly this
// back from SkyPilot's output (times to the second from JSON, to the precision of the text from a table).
import { isFailure, isTerminal } from '../../mcp-server/src/sky/job-status.js';
import type { Scenario } from './scenario.js';

export interface ExpectedTask {
  job_id: number;
  task_id: number;
  job_name: string;
  task_name: string;
  status: string;
  resources: string;
  recovery_count: number;
  failure_reason: string | null;
  submitted_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  user: string;
}

/** One row per task of the current user's jobs (SkyPilot's default), newest job first, as SkyPilot lists them. */
export function expectedTasks(s: Scenario): ExpectedTask[] {
  const firstUser = Object.keys(s.users ?? { alice: '' })[0]!;
  const out: ExpectedTask[] = [];
  s.jobs.forEach((job, n) => {
    if ((job.user ?? firstUser) !== firstUser) return;
    job.tasks.forEach((t, taskId) => {
      const ev = t.events;
      const status = ev.at(-1)![0];
      const at = (st: string) => ev.find(([x]) => x === st)?.[1] ?? null;
      out.push({
        job_id: n + 1,
        task_id: taskId,
        job_name: job.name,
        task_name: t.name,
        status,
        resources: t.resources,
        recovery_count: ev.filter(([x], i) => x === 'RECOVERING' && ev[i + 1]?.[0] === 'RUNNING').length,
        failure_reason: isFailure(status) ? (t.failure_reason ?? null) : null,
        submitted_at: at('SUBMITTED') ?? at('STARTING'),
        started_at: at('RUNNING'),
        ended_at: isTerminal(status) ? ev.at(-1)![1] : null,
        user: job.user ?? firstUser,
      });
    });
  });
  return out.sort((a, b) => b.job_id - a.job_id || a.task_id - b.task_id);
}
