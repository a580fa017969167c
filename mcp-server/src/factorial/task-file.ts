// What skyloop needs from the user's SkyPilot task YAML (read-only: fixes go to a copy, see ralph/task-copy.ts).
import { z } from 'zod';
import { readYamlFile } from '../util/yaml-file.js';

const TaskSchema = z.looseObject({
  name: z.string().optional(),
  num_nodes: z.number().int().positive().optional(),
  resources: z
    .looseObject({
      image_id: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
      accelerators: z.unknown().optional(),
      use_spot: z.boolean().optional(),
      infra: z.string().optional(),
      cloud: z.string().optional(),
      region: z.string().optional(),
      disk_size: z.number().optional(),
    })
    .optional(),
  envs: z.record(z.string(), z.unknown()).nullish(),
});

export interface TaskInfo {
  name: string | null;
  image: string | null;
  num_nodes: number;
  /** `GPU:N` when the task asks for one accelerator type. */
  accelerators: string | null;
  use_spot: boolean;
  /** `cloud/region` in lower case, from `infra` or the legacy `cloud`/`region`. */
  infra: string | null;
  disk_size: number | null;
  env: Record<string, string>;
}

export function readTaskFile(file: string): TaskInfo {
  const task = readYamlFile(file, TaskSchema);
  const res = task.resources ?? {};
  const infra = res.infra ?? (res.cloud ? [res.cloud, res.region].filter(Boolean).join('/') : null);
  return {
    name: task.name ?? null,
    image: typeof res.image_id === 'string' ? res.image_id : null,
    num_nodes: task.num_nodes ?? 1,
    accelerators: typeof res.accelerators === 'string' ? res.accelerators : null,
    use_spot: res.use_spot === true,
    infra: infra?.toLowerCase() ?? null,
    disk_size: res.disk_size ?? null,
    env: Object.fromEntries(Object.entries(task.envs ?? {}).map(([k, v]) => [k, v == null ? '' : String(v)])),
  };
}
