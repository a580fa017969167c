// An experiment as its files describe it: the validated config, its task, the image and the grid, and a
// hash of both files so that "config changed since this batch launched" is a comparison, not a guess.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readYamlFile } from '../util/yaml-file.js';
import { expandConditions } from './conditions.js';
import { ExperimentConfigSchema } from './experiment-config.js';
import { readTaskFile } from './task-file.js';
export function loadExperimentFiles(configPath) {
    const absolute = resolve(configPath);
    const cfg = readYamlFile(absolute, ExperimentConfigSchema);
    const taskPath = resolve(dirname(absolute), cfg.task);
    const task = readTaskFile(taskPath);
    const hash = createHash('sha256').update(readFileSync(absolute)).update('\0').update(readFileSync(taskPath));
    return {
        configPath: absolute,
        taskPath,
        cfg,
        task,
        image: cfg.image ?? task.image,
        conditions: expandConditions(cfg),
        configSha256: `sha256:${hash.digest('hex')}`,
    };
}
