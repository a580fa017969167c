// Runs the seven pre-flight checks in parallel, each with a time limit, and decides whether the launch
// may go ahead: any failed check blocks it unless the user overrides that check by name.
import { resolve } from 'node:path';
import { resolveDigest as registryResolveDigest } from '../registry/registry-client.js';
import { SkyCli } from '../sky/sky-cli.js';
import { CHECK_NAMES, errorMessage } from './check-result.js';
import { checkCloudCredentials } from './cloud-credentials.js';
import { checkDataPushed } from './data-pushed.js';
import { checkDiskSpace } from './disk-space.js';
import { checkEnvVars } from './env-vars.js';
import { checkGpuAvailability } from './gpu-availability.js';
import { checkImageInRegistry } from './image-in-registry.js';
import { PreflightInputSchema } from './preflight-input.js';
import { defaultRunSky } from './run-sky.js';
import { acceleratorList, readTaskRequirements } from './task-requirements.js';
import { checkTrackingServer } from './tracking-server.js';
export async function runPreflight(rawInput, deps = {}) {
    const input = PreflightInputSchema.parse(rawInput);
    const task = readTaskRequirements(input.task_yaml);
    const env = deps.env ?? process.env;
    const timeoutMs = deps.timeoutMs ?? 60_000;
    const sky = deps.sky ?? new SkyCli();
    const cloud = input.cloud ?? task.cloud ?? undefined;
    const checks = {
        cloud_credentials: (signal) => checkCloudCredentials({ cloud }, { sky, signal }),
        gpu_availability: (signal) => checkGpuAvailability({ gpus: input.gpu !== undefined ? acceleratorList(input.gpu) : task.gpus, cloud }, { runSky: deps.runSky ?? defaultRunSky(env, signal, timeoutMs), signal }),
        tracking_server: (signal) => checkTrackingServer({ tracking_url: input.tracking_url }, { env, signal }),
        image_in_registry: (signal) => checkImageInRegistry(input.image !== undefined ? { image: input.image, is_docker: true } : { image: task.image_id, is_docker: task.image_is_docker }, { resolveDigest: deps.resolveDigest ?? registryResolveDigest, env, signal }),
        data_pushed: (signal) => checkDataPushed({ dvc_remote: input.dvc_remote, dvc_dir: input.dvc_dir }, { env, signal }),
        env_vars: () => checkEnvVars({ required_env: input.required_env }, { env }),
        disk_space: (signal) => checkDiskSpace({ dir: resolve(input.outputs_dir ?? env.SKYLOOP_OUTPUTS_DIR ?? 'outputs'), min_free_disk_gb: input.min_free_disk_gb }, { env, signal }),
    };
    const results = await Promise.all(CHECK_NAMES.map((name) => withTimeout(name, checks[name], deps.checkTimeoutsMs?.[name] ?? timeoutMs)));
    const overrides = new Set(input.overrides ?? []);
    const failed = results.filter((r) => r.status === 'fail').map((r) => r.name);
    const blocking = failed.filter((n) => !overrides.has(n));
    return { ok: blocking.length === 0, blocking, overridden: failed.filter((n) => overrides.has(n)), checks: results };
}
/** One check under its time limit: a check that does not answer in time is a failure, and is told to stop. */
async function withTimeout(name, check, timeoutMs) {
    const started = Date.now();
    const controller = new AbortController();
    let timer;
    const seconds = Math.round(timeoutMs / 100) / 10;
    const timedOut = new Promise((done) => {
        timer = setTimeout(() => {
            controller.abort(new Error(`timed out after ${seconds} s`));
            done({
                name,
                status: 'fail',
                detail: `timed out after ${seconds} s`,
                fix_hint: `the ${name.replace(/_/g, ' ')} check did not answer in time: make sure what it asks is up, or override ${name}`,
                duration_ms: Date.now() - started,
            });
        }, timeoutMs);
    });
    const ran = check(controller.signal).catch((e) => ({
        name,
        status: 'fail',
        detail: `the check itself failed: ${errorMessage(e)}`,
        fix_hint: 'report this as a skyloop bug, or override the check',
        duration_ms: Date.now() - started,
    }));
    try {
        return await Promise.race([ran, timedOut]);
    }
    finally {
        clearTimeout(timer);
    }
}
