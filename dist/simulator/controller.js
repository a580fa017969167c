// The jobs controller's cluster as the simulated API server sees it: UP (the default), STOPPED
// (autostopped after idling) or absent (never launched, or torn down). SKYLOOP_SIM_CONTROLLER=up|stopped|absent.
import { SimConfigError } from './errors.js';
export function controllerState() {
    const raw = process.env.SKYLOOP_SIM_CONTROLLER || 'up';
    if (raw === 'up' || raw === 'stopped' || raw === 'absent')
        return raw;
    throw new SimConfigError(`SKYLOOP_SIM_CONTROLLER must be up, stopped or absent, got '${raw}'`);
}
/** What the API server raises (sky.exceptions.ClusterNotUpError) when a command needs the controller and it is not up. */
export const CONTROLLER_NOT_UP = 'No in-progress managed jobs.';
