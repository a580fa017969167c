// Messages of `sky jobs cancel` (sky/jobs/utils.py; id-based wording unchanged since 0.9.3).
export interface CancelResult {
  /** Jobs SkyPilot scheduled for cancellation. */
  cancelled: number[];
  /** Jobs skipped because they had already ended, with the status SkyPilot reported. */
  already_terminal: { job_id: number; status: string }[];
  not_found: number[];
}

export function parseCancelOutput(stdout: string): CancelResult {
  const result: CancelResult = { cancelled: [], already_terminal: [], not_found: [] };
  for (const m of stdout.matchAll(/Jobs? with IDs? ([\d, ]+?) (?:is|are) scheduled to be cancelled/g)) {
    result.cancelled.push(...(m[1] as string).split(',').map((s) => Number(s.trim())));
  }
  for (const m of stdout.matchAll(/Job (\d+) is already in terminal state (\w+)\. Skipped\./g)) {
    result.already_terminal.push({ job_id: Number(m[1]), status: m[2] as string });
  }
  for (const m of stdout.matchAll(/Job (\d+) not found\. Skipped\./g)) result.not_found.push(Number(m[1]));
  return result;
}
