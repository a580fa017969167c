// The managed job id in `sky jobs launch` output (sky/utils/ux_utils.py command_hint_messages), 0.12.3.post1 on.
const MANAGED_JOB_ID = /^Managed Job ID: (\d+)\s*$/m;
// Pool launches with --num-jobs > 1.
const MANY_JOB_IDS = /^Jobs submitted with IDs: ([\d, ]+)\.?\s*$/m;
// The submission line relayed from the API server (with a leading ANSI reset): the only id 0.9.3 to 0.11.2 print,
// equal to the managed job id on every release the contract tests run (test/contract/launch.contract.test.ts).
const SUBMITTED_ID = /Job submitted, ID: (\d+)/;

/** Job ids printed by a launch, best source first; empty when the launch printed none. */
export function parseLaunchJobIds(stdout: string): number[] {
  const managed = MANAGED_JOB_ID.exec(stdout);
  if (managed) return [Number(managed[1])];
  const many = MANY_JOB_IDS.exec(stdout);
  if (many) return (many[1] as string).split(',').map((s) => Number(s.trim())).filter(Number.isInteger);
  const submitted = SUBMITTED_ID.exec(stdout);
  return submitted ? [Number(submitted[1])] : [];
}
