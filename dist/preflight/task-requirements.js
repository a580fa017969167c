// What the pre-flight checks read from the user's SkyPilot task YAML: the GPUs it asks for (any of
// them will do), its image and its cloud. `resources` may list alternatives under `any_of` / `ordered`.
import { z } from 'zod';
import { readYamlFile } from '../util/yaml-file.js';
const ResourcesSchema = z.looseObject({
    cloud: z.string().nullish(),
    infra: z.string().nullish(),
    accelerators: z.unknown().optional(),
    image_id: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
});
const TaskSchema = z.looseObject({
    resources: z
        .looseObject({
        ...ResourcesSchema.shape,
        any_of: z.array(ResourcesSchema).optional(),
        ordered: z.array(ResourcesSchema).optional(),
    })
        .nullish(),
});
export function readTaskRequirements(file) {
    const task = readYamlFile(file, TaskSchema);
    const res = task.resources ?? {};
    const alternatives = [res, ...(res.any_of ?? []), ...(res.ordered ?? [])];
    const gpus = [...new Set(alternatives.flatMap((r) => acceleratorList(r.accelerators)))];
    const clouds = new Set(alternatives.map(cloudOf).filter((c) => c !== null));
    const image = res.image_id;
    return {
        gpus,
        image_id: typeof image === 'string' ? image : image ? JSON.stringify(image) : null,
        image_is_docker: typeof image === 'string' && image.startsWith('docker:'),
        cloud: clouds.size === 1 ? [...clouds][0] : null,
    };
}
/** `A100`, `A100:2`, `{A100: 1, H100: 1}`, `[A100:1, V100:1]` → `['A100:1', …]`. */
export function acceleratorList(value) {
    if (value === undefined || value === null)
        return [];
    if (typeof value === 'string') {
        const text = value.trim();
        if (text.startsWith('{') || text.startsWith('[')) {
            // SkyPilot also accepts a set / list written inline as a string, e.g. '{A100:1, V100:1}'.
            return text.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean).map(withCount);
        }
        return text === '' ? [] : [withCount(text)];
    }
    if (Array.isArray(value))
        return value.flatMap(acceleratorList);
    if (typeof value === 'object') {
        return Object.entries(value).map(([name, n]) => `${name}:${n ?? 1}`);
    }
    return [];
}
const withCount = (s) => (s.includes(':') ? s.replace(/\s+/g, '') : `${s}:1`);
function cloudOf(r) {
    const infra = r.infra ?? r.cloud;
    if (!infra)
        return null;
    const cloud = infra.split('/')[0]?.trim().toLowerCase() ?? '';
    return cloud === '' || cloud === '*' ? null : cloud;
}
