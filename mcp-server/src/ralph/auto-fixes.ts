// The safe fixes the loop applies by itself (declared per category in the failure-pattern library), as
// pure functions of the current overrides. A fix that has nothing left to try says so.
import type { AutoFix } from '../diagnosis/pattern-library.js';
import type { Overrides } from './ralph-events.js';
import type { RalphSettings } from './ralph-settings.js';
import type { TaskInfo } from '../factorial/task-file.js';

export type FixOutcome = { overrides: Overrides; description: string } | { impossible: string };

const MAX_DISK_GB = 2048;

/** `tried`: infras already run on (cloud/region, lower case); rotation skips them. */
export function applyAutoFix(kind: AutoFix, current: Overrides, task: TaskInfo, settings: RalphSettings, tried: string[] = []): FixOutcome {
  const next: Overrides = { ...current, env: { ...current.env } };
  switch (kind) {
    case 'rotate_region': {
      const here = (current.infra ?? task.infra)?.toLowerCase() ?? null;
      const regions = settings.infra.map((r) => r.toLowerCase());
      const done = new Set([...tried.map((t) => t.toLowerCase()), ...(here === null ? [] : [here])]);
      const after = here === null ? 0 : regions.indexOf(here) + 1;
      const untried = [...regions.slice(after), ...regions.slice(0, after)].find((r) => !done.has(r));
      if (untried !== undefined) {
        next.infra = untried;
        return { overrides: next, description: `no capacity in ${here ?? 'the default region'}: try ${next.infra}` };
      }
      const gpu = current.gpus ?? task.accelerators;
      const nextGpu = settings.gpus[gpu === null ? 0 : settings.gpus.indexOf(gpu) + 1];
      if (nextGpu !== undefined && regions.length > 0) {
        next.gpus = nextGpu;
        next.infra = regions[0] as string;
        return { overrides: next, description: `no ${gpu ?? 'GPU'} in any listed region: try ${nextGpu} from ${next.infra}` };
      }
      return { impossible: `no capacity in ${here ?? 'the default region'} and no further region or GPU in the rotation list (--infra, --gpus)` };
    }
    case 'raise_disk_size': {
      const disk = current.disk_size ?? task.disk_size ?? 256;
      if (disk >= MAX_DISK_GB) return { impossible: `the disk is already ${disk} GB` };
      next.disk_size = Math.min(disk * 2, MAX_DISK_GB);
      return { overrides: next, description: `disk full at ${disk} GB: raise disk_size to ${next.disk_size} GB` };
    }
    case 'halve_batch_size': {
      const name = settings.batch_size_env;
      if (!name) return { impossible: 'CUDA out of memory, but no batch-size env var is configured (--batch-size-env)' };
      const value = Number(current.env[name] ?? task.env[name]);
      if (!Number.isInteger(value) || value <= 1) return { impossible: `${name}=${current.env[name] ?? task.env[name] ?? '(unset)'} cannot be halved` };
      next.env[name] = String(Math.floor(value / 2));
      return { overrides: next, description: `CUDA out of memory: halve ${name} ${value} → ${next.env[name]}` };
    }
    case 'switch_to_on_demand': {
      if ((current.use_spot ?? task.use_spot) === false) return { impossible: 'preempted although already on-demand' };
      next.use_spot = false;
      return { overrides: next, description: 'preempted too often on spot: switch to on-demand' };
    }
  }
}
