// What skyloop needs from the user's SkyPilot task YAML: the image and the node count.
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
    })
    .optional(),
  envs: z.record(z.string(), z.unknown()).nullish(),
});

export interface TaskInfo {
  image: string | null;
  num_nodes: number;
  /** `GPU:N` when the task asks for one accelerator type. */
  accelerators: string | null;
  use_spot: boolean;
}

export function readTaskFile(file: string): TaskInfo {
  const task = readYamlFile(file, TaskSchema);
  const image = task.resources?.image_id;
  const acc = task.resources?.accelerators;
  return {
    image: typeof image === 'string' ? image : null,
    num_nodes: task.num_nodes ?? 1,
    accelerators: typeof acc === 'string' ? acc : null,
    use_spot: task.resources?.use_spot === true,
  };
}
