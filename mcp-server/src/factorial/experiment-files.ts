// An experiment as its files describe it: the validated config, its task, the image and the grid, and a
// hash of both files so that "config changed since this batch launched" is a comparison, not a guess.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isPair, isScalar, visit, type Document } from 'yaml';
import { dirname, resolve } from 'node:path';
import { ConfigError, readYamlFile } from '../util/yaml-file.js';
import { expandConditions, type Condition } from './conditions.js';
import { ExperimentConfigSchema, type ExperimentConfig } from './experiment-config.js';
import { readTaskFile, type TaskInfo } from './task-file.js';

export interface ExperimentFiles {
  configPath: string;
  taskPath: string;
  cfg: ExperimentConfig;
  task: TaskInfo;
  /** The image the config or task names (`docker:` tag or digest reference); null for a bare VM. */
  image: string | null;
  conditions: Condition[];
  configSha256: string;
}

/**
 * Factor levels keep the text the user wrote: YAML reads `3e-4` as 0.0003, but the job name, the env var and
 * a scenario rule all say `3e-4`. Numbers whose text is not how JavaScript prints them become that text.
 */
function keepLevelText(doc: Document): void {
  visit(doc, {
    Scalar(_key, node, path) {
      const top = path[2];
      const inLevels = isPair(top) && isScalar(top.key) && (top.key.value === 'factors' || top.key.value === 'exclude');
      if (inLevels && typeof node.value === 'number' && node.source !== undefined && node.source !== String(node.value)) node.value = node.source;
    },
  });
}

/** The line of a top-level key, for errors about its value found after validation. */
function lineOf(configPath: string, key: string): number | null {
  const at = readFileSync(configPath, 'utf8').split('\n').findIndex((l) => l.startsWith(`${key}:`));
  return at < 0 ? null : at + 1;
}

export function loadExperimentFiles(configPath: string): ExperimentFiles {
  const absolute = resolve(configPath);
  const cfg = readYamlFile(absolute, ExperimentConfigSchema, keepLevelText);
  const taskPath = resolve(dirname(absolute), cfg.task);
  if (!existsSync(taskPath)) {
    throw new ConfigError(absolute, [{ line: lineOf(absolute, 'task'), field: 'task', message: `the task file ${taskPath} does not exist (task: is relative to this config)` }]);
  }
  const task = readTaskFile(taskPath);
  let conditions: Condition[];
  try {
    conditions = expandConditions(cfg);
  } catch (e) {
    throw new ConfigError(absolute, [{ line: lineOf(absolute, 'factors'), field: 'factors', message: (e as Error).message }]);
  }
  const hash = createHash('sha256').update(readFileSync(absolute)).update('\0').update(readFileSync(taskPath));
  return {
    configPath: absolute,
    taskPath,
    cfg,
    task,
    image: cfg.image ?? task.image,
    conditions,
    configSha256: `sha256:${hash.digest('hex')}`,
  };
}
