// `sky gpus list [GPU[:N]]` and the deprecated `sky show-gpus` (sky/client/cli/command.py).
import { parseCommand } from '../args.js';
import { canonicalCloud, CATALOG } from '../catalog.js';
import { stdout } from '../output.js';
import { renderTable } from '../table.js';
const COMMON = ['A10', 'A10G', 'A100', 'A100-80GB', 'H100', 'H200', 'L4', 'L40S', 'T4', 'V100', 'V100-32GB'];
export async function gpusList(argv, p, path) {
    const cs = {
        path,
        options: [
            { names: ['--all', '-a'], dest: 'all', kind: 'flag' },
            { names: ['--infra'], dest: 'infra', kind: 'string' },
            { names: ['--cloud'], dest: 'cloud', kind: 'string' },
            { names: ['--region'], dest: 'region', kind: 'string' },
            { names: ['--all-regions'], dest: 'allRegions', kind: 'flag' },
        ],
        args: [{ name: 'ACCELERATOR_STR', kind: 'string', nargs: 1, required: false }],
    };
    const { opts, args } = parseCommand(cs, argv);
    const listCmd = p.has.gpusList ? 'sky gpus list' : 'sky show-gpus';
    const cloudOpt = (opts.infra ?? opts.cloud)?.split('/')[0];
    const cloud = cloudOpt ? canonicalCloud(cloudOpt) : undefined;
    const rows = CATALOG.filter((r) => !cloud || r.cloud === cloud);
    const acc = args.ACCELERATOR_STR;
    if (acc === undefined) {
        const qty = new Map();
        for (const r of rows) {
            const s = qty.get(r.gpu) ?? new Set();
            s.add(r.qty);
            qty.set(r.gpu, s);
        }
        const table = renderTable(['COMMON_GPU', 'AVAILABLE_QUANTITIES'], COMMON.filter((g) => qty.has(g)).map((g) => [g, [...qty.get(g)].sort((a, b) => a - b).join(', ')]));
        await stdout.line(`${table}\n\nHint: use -a/--all to see all accelerators (including non-common ones) and pricing.`);
        return 0;
    }
    const [name, q] = acc.split(':');
    const want = q === undefined ? undefined : Number(q);
    const hits = rows
        .filter((r) => r.gpu.toLowerCase() === name.toLowerCase() && (want === undefined || r.qty === want))
        .sort((a, b) => a.qty - b.qty || (a.price ?? 0) - (b.price ?? 0));
    if (hits.length === 0) {
        const qs = want !== undefined ? ` with requested quantity ${want}` : '';
        const where = cloud ? ` on ${cloud}.` : ' in cloud catalogs.';
        await stdout.line(`Resources '${name}'${qs} not found${where} To show available accelerators, run: ${listCmd} --all`);
        return 0;
    }
    const money = (v) => (v === null ? '-' : `$ ${v.toFixed(3)}`);
    const showAll = opts.all === true;
    const fields = ['GPU', 'QTY', 'CLOUD', 'INSTANCE_TYPE', 'DEVICE_MEM', 'vCPUs', 'HOST_MEM', 'HOURLY_PRICE', 'HOURLY_SPOT_PRICE'];
    if (!showAll)
        fields.push('REGION');
    const table = renderTable(fields, hits.map((r) => {
        const row = [
            r.gpu,
            r.qty,
            r.cloud,
            r.instance ?? '(attachable)',
            r.deviceMem === null ? '-' : `${r.deviceMem}GB`,
            r.vcpus === null ? '-' : String(r.vcpus),
            r.hostMem === null ? '-' : `${r.hostMem}GB`,
            money(r.price),
            money(r.spot),
        ];
        if (!showAll)
            row.push(r.region);
        return row;
    }));
    await stdout.line(table);
    return 0;
}
