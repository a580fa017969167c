// What the supervisor needs from the experiment config, read from the file the manifest names. A config
// that can no longer be read (moved, edited into an invalid state) leaves the supervisor on safe defaults
// (warn only, no autopilot, no notifications) with a warning, rather than stopping it for the night.
import { ExperimentConfigSchema } from '../factorial/experiment-config.js';
import { readYamlFile } from '../util/yaml-file.js';
export function settingsFromConfig(cfg) {
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
export function loadSupervisorSettings(m, onWarning) {
    try {
        return settingsFromConfig(readYamlFile(m.config_file, ExperimentConfigSchema));
    }
    catch (e) {
        onWarning(`cannot read ${m.config_file} (${e.message}); supervising with the defaults: warn only, no autopilot, no notifications`);
        const defaults = ExperimentConfigSchema.parse({ experiment: m.experiment_id, factors: m.factors, task: m.skypilot_yaml, cost: { expected_hours: 1, budget_usd: m.budget_usd } });
        return { ...settingsFromConfig(defaults), expected_hours: m.total_estimated_cost / Math.max(1, m.jobs.length * m.hourly_rate_usd * m.nodes_per_job) };
    }
}
