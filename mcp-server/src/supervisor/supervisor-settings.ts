// What the supervisor needs from the experiment config, read from the file the manifest names. A config
// that can no longer be read (moved, edited into an invalid state) leaves the supervisor on safe defaults
// (warn only, no autopilot, no notifications) with a warning, rather than stopping it for the night.
import { ExperimentConfigSchema, type ExperimentConfig } from '../factorial/experiment-config.js';
import type { Manifest } from '../factorial/manifest.js';
import { readYamlFile } from '../util/yaml-file.js';

export interface SupervisorSettings {
  on_stuck: ExperimentConfig['monitor']['on_stuck'];
  heartbeat_s: number;
  outage_window_s: number;
  expected_hours: number;
  warn_at: number;
  on_exceed: ExperimentConfig['cost']['on_exceed'];
  autopilot: ExperimentConfig['autopilot'];
  fallback: ExperimentConfig['relaunch']['fallback'];
  notify: ExperimentConfig['notify'];
}

export function settingsFromConfig(cfg: ExperimentConfig): SupervisorSettings {
  return {
    on_stuck: cfg.monitor.on_stuck,
    heartbeat_s: cfg.monitor.heartbeat_s,
    outage_window_s: cfg.monitor.outage_window_s,
    expected_hours: cfg.cost.expected_hours,
    warn_at: cfg.cost.warn_at,
    on_exceed: cfg.cost.on_exceed,
    autopilot: cfg.autopilot,
    fallback: cfg.relaunch.fallback,
    notify: cfg.notify,
  };
}

export function loadSupervisorSettings(m: Manifest, onWarning: (message: string) => void): SupervisorSettings {
  try {
    return settingsFromConfig(readYamlFile(m.config_file, ExperimentConfigSchema));
  } catch (e) {
    onWarning(`cannot read ${m.config_file} (${(e as Error).message}); supervising with the defaults: warn only, no autopilot, no notifications`);
    const defaults = ExperimentConfigSchema.parse({ experiment: m.experiment_id, factors: m.factors, task: m.skypilot_yaml, cost: { expected_hours: 1, budget_usd: m.budget_usd } });
    return { ...settingsFromConfig(defaults), expected_hours: m.total_estimated_cost / Math.max(1, m.jobs.length * m.hourly_rate_usd * m.nodes_per_job) };
  }
}
