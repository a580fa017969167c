// Pre-flight: does some cloud offer the GPU, and at what price? Runs `sky gpus list NAME:COUNT [--infra C]`
// for every accelerator the task accepts and keeps the cheapest on-demand and spot offers; the prices
// go into `data` so the loop can estimate the cost of a run.
import { stripAnsi } from '../sky/sky-output-text.js';
import { checkClock, errorMessage, notAFlag } from './check-result.js';
/**
 * The rows of `sky gpus list GPU` / `sky show-gpus GPU` tables. Columns are located by the header's offsets
 * (cells such as `$ 3.673` contain a space); a blank line ends a table.
 */
export function parseGpuTable(text) {
    const offers = [];
    let columns = null;
    for (const raw of text.split('\n')) {
        const line = stripAnsi(raw).replace(/\s+$/, '');
        if (/^GPU\s+QTY\s+CLOUD\b/.test(line) && line.includes('HOURLY_PRICE')) {
            columns = [...line.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index }));
            continue;
        }
        if (columns === null)
            continue;
        if (line.trim() === '') {
            columns = null;
            continue;
        }
        const cells = {};
        columns.forEach((c, i) => {
            const end = columns?.[i + 1]?.start ?? line.length;
            cells[c.name] = line.slice(c.start, end).trim();
        });
        const qty = Number(cells.QTY);
        if (!cells.GPU || !cells.CLOUD || !Number.isFinite(qty))
            continue;
        offers.push({
            gpu: cells.GPU,
            qty,
            cloud: cells.CLOUD,
            region: cells.REGION || null,
            instance_type: cells.INSTANCE_TYPE && cells.INSTANCE_TYPE !== '-' ? cells.INSTANCE_TYPE : null,
            hourly_price: price(cells.HOURLY_PRICE),
            hourly_spot_price: price(cells.HOURLY_SPOT_PRICE),
        });
    }
    return offers;
}
function price(cell) {
    const m = /^\$\s*([0-9]+(?:\.[0-9]+)?)$/.exec(cell ?? '');
    return m ? Number(m[1]) : null;
}
const cheapest = (offers, key) => offers.filter((o) => o[key] !== null).sort((a, b) => a[key] - b[key])[0] ?? null;
const where = (o) => `${o.gpu}:${o.qty} on ${o.cloud}${o.region ? ` ${o.region}` : ''}`;
/** `sky gpus list` exists since 2026-02; older SkyPilot has only `sky show-gpus`, and `--cloud` before `--infra`. */
async function listGpu(runSky, gpu, cloud) {
    const filter = (flag) => (cloud === undefined ? [] : [flag, cloud]);
    try {
        return await runSky(['gpus', 'list', gpu, ...filter('--infra')]);
    }
    catch (e) {
        const message = errorMessage(e);
        if (/no such command/i.test(message)) {
            try {
                return await runSky(['show-gpus', gpu, ...filter('--infra')]);
            }
            catch (e2) {
                if (cloud !== undefined && /no such option/i.test(errorMessage(e2)))
                    return runSky(['show-gpus', gpu, ...filter('--cloud')]);
                throw e2;
            }
        }
        throw e;
    }
}
export async function checkGpuAvailability(input, deps) {
    const clock = checkClock('gpu_availability');
    if (input.gpus.length === 0)
        return clock.skipped('the task requests no accelerator (resources.accelerators is empty)');
    const on = input.cloud === undefined ? '' : ` on ${input.cloud}`;
    let answers;
    try {
        if (input.cloud !== undefined)
            notAFlag('cloud', input.cloud);
        answers = await Promise.all(input.gpus.map(async (gpu) => ({ gpu, text: await listGpu(deps.runSky, notAFlag('gpu', gpu), input.cloud) })));
    }
    catch (e) {
        return clock.fail(`\`sky gpus list\` failed: ${errorMessage(e)}`, 'run `sky gpus list <GPU>` yourself to see the whole error');
    }
    const offers = answers.flatMap(({ gpu, text }) => {
        const [name, count] = gpu.split(':');
        return parseGpuTable(text).filter((o) => o.gpu.toLowerCase() === name?.toLowerCase() && (count === undefined || o.qty === Number(count)));
    });
    if (offers.length === 0) {
        const said = answers.map((a) => stripAnsi(a.text).trim().split('\n')[0] ?? '').find((l) => /not found/i.test(l));
        return clock.fail(`no offer for ${input.gpus.join(' or ')}${on} in \`sky gpus list\`${said ? `: ${said}` : ''}`, `choose another GPU or count (see \`sky gpus list --all\`)${input.cloud === undefined ? '' : ' or another cloud'}`, { hourly_price: null, hourly_spot_price: null, offers: [] });
    }
    const onDemand = cheapest(offers, 'hourly_price');
    const spot = cheapest(offers, 'hourly_spot_price');
    const parts = [
        onDemand ? `on-demand $${onDemand.hourly_price}/h (${where(onDemand)})` : 'no on-demand price',
        spot ? `spot $${spot.hourly_spot_price}/h (${where(spot)})` : 'no spot offer',
    ];
    return clock.pass(`${offers.length} offer(s) for ${input.gpus.join(' or ')}${on}; cheapest ${parts.join(', ')}`, null, {
        hourly_price: onDemand?.hourly_price ?? null,
        hourly_spot_price: spot?.hourly_spot_price ?? null,
        cheapest: onDemand,
        cheapest_spot: spot,
        offers: offers.slice(0, 10),
    });
}
