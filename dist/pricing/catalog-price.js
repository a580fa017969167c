// The price of a node-hour from SkyPilot's own catalog (`sky gpus list GPU:N`): the cheapest offer, spot or
// on-demand. Used when a config or a command line gives no hourly rate.
import { parseGpuTable } from '../preflight/gpu-availability.js';
import { defaultRunSky } from '../preflight/run-sky.js';
export function catalogHourlyRate(env = process.env) {
    const runSky = defaultRunSky(env);
    return async (gpu, spot) => {
        if (gpu === null)
            return null;
        const offers = parseGpuTable(await runSky(['gpus', 'list', gpu]));
        const prices = offers.map((o) => (spot ? o.hourly_spot_price : o.hourly_price)).filter((p) => p !== null);
        return prices.length ? Math.min(...prices) : null;
    };
}
