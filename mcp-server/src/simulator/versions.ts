// What differs between the SkyPilot releases the simulator can pretend to be. Each emulation is checked
// against the real release by the contract tests (test/contract/).

/** Release families whose CLI behaves alike. */
export type Emulated = '0.9.3' | '0.10' | 'current';

export interface Profile {
  id: Emulated;
  /** `sky --version` string. */
  version: string;
  has: {
    /** DETAILS and JSON records carry the reasons of the job's event table (pending, recovering); 0.14. */
    eventReasons: boolean;
    /** JSON records have the job-group fields (root_job_id, parent_job_id, parent_task_id, dynamic_task_index); 0.14. */
    jobGroupFields: boolean;
    /** The server fills only the fields the CLI asks for (priority, is_job_group, last_recovered_at stay null); 0.14. */
    fieldsAsRequested: boolean;
    /**
     * A failed program's failure_reason names its exit codes, `Job exited with exit code 1 (user program
     * failure). To see the details, …` (sky/jobs/controller.py); before: only `To see the details, …`. 0.14.
     */
    exitCodesInReason: boolean;
  };
}

const BEFORE_014 = { eventReasons: false, jobGroupFields: false, fieldsAsRequested: false, exitCodesInReason: false };
const PROFILES: Record<string, Profile> = {
  '0.9.3': { id: '0.9.3', version: '0.9.3', has: BEFORE_014 },
  // The latest 0.10 on the package index. `0.10.6` (a source branch, never released) is kept as an alias.
  '0.10.5': { id: '0.10', version: '0.10.5', has: BEFORE_014 },
  '0.10.6': { id: '0.10', version: '0.10.5', has: BEFORE_014 },
  // 0.12 prints the newest release's queue (columns, options, `-o json`) with the older records; its other
  // commands follow the newest release.
  '0.12.3.post1': { id: 'current', version: '0.12.3.post1', has: BEFORE_014 },
  // The newest release on the package index.
  current: { id: 'current', version: '0.14.1', has: { eventReasons: true, jobGroupFields: true, fieldsAsRequested: true, exitCodesInReason: true } },
};

export const EMULATE_NAMES = Object.keys(PROFILES);

export function profileFor(name: string | undefined): Profile | undefined {
  if (name === undefined || name === '') return PROFILES.current;
  return PROFILES[name];
}
