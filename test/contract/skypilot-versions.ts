// The SkyPilot releases skyloop is proven against (scripts/install-skypilot.sh installs the same list), and
// what the simulator calls each one when it emulates it.
import { pythonVenv, type PythonVenv } from '../helpers/python-venv.js';

export interface ContractVersion {
  /** The release on the Python package index. */
  version: string;
  /** `sky-sim --emulate` name of the same release. */
  emulate: string;
  venv: PythonVenv | undefined;
  /** Capabilities the scenarios depend on. */
  has: { submittedStatus: boolean; windingDown: boolean; jsonOutput: boolean };
}

const RELEASES: Omit<ContractVersion, 'venv'>[] = [
  { version: '0.9.3', emulate: '0.9.3', has: { submittedStatus: true, windingDown: false, jsonOutput: false } },
  { version: '0.10.5', emulate: '0.10.5', has: { submittedStatus: false, windingDown: false, jsonOutput: false } },
  { version: '0.11.2', emulate: '0.11.2', has: { submittedStatus: false, windingDown: false, jsonOutput: false } },
  { version: '0.12.3.post1', emulate: '0.12.3.post1', has: { submittedStatus: false, windingDown: true, jsonOutput: true } },
  { version: '0.13.0', emulate: '0.13.0', has: { submittedStatus: false, windingDown: true, jsonOutput: true } },
  { version: '0.14.1', emulate: 'current', has: { submittedStatus: false, windingDown: true, jsonOutput: true } },
];

/**
 * The releases named in `SKYLOOP_CONTRACT_VERSIONS` (a comma list, e.g. `0.11.2,0.13.0`), all when it is unset
 * or empty: each release's harness takes minutes, so one can run the contract tests for some only. A name
 * that is not a release here is an error rather than a silent run of nothing.
 */
export function selectReleases<T extends { version: string }>(all: T[], filter: string | undefined): T[] {
  const wanted = (filter ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (wanted.length === 0) return all;
  const unknown = wanted.filter((w) => !all.some((r) => r.version === w));
  if (unknown.length > 0) {
    throw new Error(`SKYLOOP_CONTRACT_VERSIONS names ${unknown.join(', ')}: the releases are ${all.map((r) => r.version).join(', ')}`);
  }
  return all.filter((r) => wanted.includes(r.version));
}

export const CONTRACT_VERSIONS: ContractVersion[] = selectReleases(RELEASES, process.env.SKYLOOP_CONTRACT_VERSIONS).map((r) => ({
  ...r,
  venv: pythonVenv(`skypilot-${r.version}`),
}));

export const installCommand = (v: ContractVersion): string => `scripts/install-skypilot.sh ${v.version}`;
