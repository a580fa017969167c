export const QUEUE_JSON_SCHEMA_VERSION = 1;
/**
 * The task that decides a managed job's status, from the job's records (one per task): the first that has
 * not SUCCEEDED, else the last — SkyPilot's own rule (sky/jobs/utils.py `_get_job_status_from_tasks`). For a
 * pipeline whose first task succeeded this is the task that failed (or is running), not task 0. Its
 * failure_reason is the first one any task has, as `sky jobs logs` reports it (`state.get_failure_reason`).
 */
export function currentTask(tasks) {
    const ordered = [...tasks].sort((a, b) => a.task_id - b.task_id);
    const current = ordered.find((t) => t.status !== 'SUCCEEDED') ?? ordered.at(-1);
    if (!current)
        return undefined;
    const reason = current.failure_reason ?? ordered.find((t) => t.failure_reason !== null)?.failure_reason ?? null;
    return { ...current, failure_reason: reason };
}
