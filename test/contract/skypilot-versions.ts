// The SkyPilot releases skyloop is proven against (scripts/install-skypilot.sh installs the same list), and
// what the simulator calls each one when it emulates it.
import { pythonVenv, type PythonVenv } from '../helpers/python-venv.js';

export interface ContractVersion {
  /** The release on the Python package index. */
  version: string;
  /** `sky-sim --emulate` name of the same release; the simulator emulates 0.9.3, 0.10.x and the newest only. */
  emulate: string | undefined;
  venv: PythonVenv | undefined;
  /** Capabilities the scenarios depend on. */
  has: { submittedStatus: boolean; windingDown: boolean; jsonOutput: boolean };
}

const RELEASES: Omit<ContractVersion, 'venv'>[] = [
  { version: '0.9.3', emulate: '0.9.3', has: { submittedStatus: true, windingDown: false, jsonOutput: false } },
  { version: '0.10.5', emulate: '0.10.5', has: { submittedStatus: false, windingDown: false, jsonOutput: false } },
  { version: '0.11.2', emulate: undefined, has: { submittedStatus: false, windingDown: false, jsonOutput: false } },
  { version: '0.12.3.post1', emulate: '0.12.3.post1', has: { submittedStatus: false, windingDown: true, jsonOutput: true } },
  { version: '0.13.0', emulate: undefined, has: { submittedStatus: false, windingDown: true, jsonOutput: true } },
  { version: '0.14.1', emulate: 'current', has: { submittedStatus: false, windingDown: true, jsonOutput: true } },
];

export const CONTRACT_VERSIONS: ContractVersion[] = RELEASES.map((r) => ({ ...r, venv: pythonVenv(`skypilot-${r.version}`) }));

export const installCommand = (v: ContractVersion): string => `scripts/install-skypilot.sh ${v.version}`;
