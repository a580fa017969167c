// `sky jobs launch`: read the task YAML, apply CLI overrides, fix the job's timeline from the
// scenario, then print what SkyPilot prints (and follow the logs unless -d).

import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { BRIGHT, DIM, FORE, RESET } from '../ansi.js';
import { parseCommand, type CommandSpec } from '../args.js';
import { canonicalCloud, CATALOG, CPU_ROW, type CatalogRow } from '../catalog.js';
import { ClickUsageError, SkyException } from '../errors.js';
import { currentUser } from '../identity.js';
import { runTimestamp } from '../job-logs.js';
import { sleep, stdout } from '../output.js';
import { confirm } from '../prompt.js';
import type { Scenario } from '../scenario.js';
import { findRule, scenarioPath } from '../scenario-match.js';
import { simHome, simNow, updateState } from '../state.js';
import { renderTable } from '../table.js';
import { buildTask, type JobRecord, type TaskRecord, type TaskSpec } from '../timeline.js';
import { planTracking } from '../tracking.js';
import type { Profile } from '../versions.js';
import { streamJob } from './logs.js';

const NAME_RE = /^[a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const NAME_RE_TEXT = '[a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?';

const SPEC: CommandSpec = {
  path: 'sky jobs launch',
  options: [
    { names: ['--name', '-n'], dest: 'name', kind: 'string' },
    { names: ['--cluster', '-c'], dest: 'cluster', kind: 'string' },
    { names: ['--workdir'], dest: 'workdir', kind: 'string' },
    { names: ['--infra'], dest: 'infra', kind: 'string' },
    { names: ['--cloud'], dest: 'cloud', kind: 'string' },
    { names: ['--region'], dest: 'region', kind: 'string' },
    { names: ['--zone'], dest: 'zone', kind: 'string' },
    { names: ['--num-nodes'], dest: 'numNodes', kind: 'int' },
    { names: ['--cpus'], dest: 'cpus', kind: 'string' },
    { names: ['--memory'], dest: 'memory', kind: 'string' },
    { names: ['--disk-size'], dest: 'diskSize', kind: 'int' },
    { names: ['--disk-tier'], dest: 'diskTier', kind: 'string' },
    { names: ['--network-tier'], dest: 'networkTier', kind: 'string' },
    { names: ['--use-spot'], negNames: ['--no-use-spot'], dest: 'useSpot', kind: 'flag' },
    { names: ['--image-id'], dest: 'imageId', kind: 'string' },
    { names: ['--env-file'], dest: 'envFile', kind: 'string' },
    { names: ['--env'], dest: 'env', kind: 'multi' },
    { names: ['--secret'], dest: 'secret', kind: 'multi' },
    { names: ['--secret-file'], dest: 'secretFile', kind: 'string' },
    { names: ['--gpus'], dest: 'gpus', kind: 'string' },
    { names: ['--instance-type', '-t'], dest: 'instanceType', kind: 'string' },
    { names: ['--ports'], dest: 'ports', kind: 'multi' },
    { names: ['--priority'], dest: 'priority', kind: 'string' },
    { names: ['--job-recovery'], dest: 'jobRecovery', kind: 'string' },
    { names: ['--detach-run', '-d'], dest: 'detach', kind: 'flag' },
    { names: ['--pool', '-p'], dest: 'pool', kind: 'string' },
    { names: ['--num-jobs'], dest: 'numJobs', kind: 'int' },
    { names: ['--git-url'], dest: 'gitUrl', kind: 'string' },
    { names: ['--git-ref'], dest: 'gitRef', kind: 'string' },
    { names: ['--workspace', '-w'], dest: 'workspace', kind: 'string' },
    { names: ['--config'], dest: 'config', kind: 'multi' },
    { names: ['--async'], negNames: ['--no-async'], dest: 'async', kind: 'flag' },
    { names: ['--yes', '-y'], dest: 'yes', kind: 'flag' },
  ],
  args: [{ name: 'ENTRYPOINT', kind: 'string', nargs: -1, required: true }],
};

type Yaml = Record<string, unknown>;

function usage(message: string): ClickUsageError {
  return new ClickUsageError(`Usage: ${SPEC.path} [OPTIONS] ENTRYPOINT...`, SPEC.path, message);
}

function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}

interface Accel {
  name: string;
  count: number;
}

function parseAccel(v: unknown): Accel | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    if (v.toLowerCase() === 'none') return undefined;
    const [name, count] = v.split(':');
    return { name: name!.trim(), count: count === undefined ? 1 : Number(count) };
  }
  if (Array.isArray(v)) return parseAccel(v[0]);
  if (typeof v === 'object') {
    const [k, c] = Object.entries(v as Record<string, unknown>)[0] ?? [];
    return k === undefined ? undefined : { name: k, count: c === undefined || c === null ? 1 : Number(c) };
  }
  return undefined;
}

interface Candidate {
  row: CatalogRow;
  cost: number;
  cloud: string;
  region: string;
}

function candidates(acc: Accel | undefined, spot: boolean, cloud: string | undefined, region: string | undefined, nodes: number): Candidate[] {
  const rows = acc
    ? CATALOG.filter((r) => r.gpu.toLowerCase() === acc.name.toLowerCase() && r.qty === acc.count)
    : [CPU_ROW];
  const usable = rows.filter((r) => (!cloud || r.cloud.toLowerCase() === cloud.toLowerCase()) && (!spot || r.spot !== null));
  const best = new Map<string, Candidate>();
  for (const row of usable) {
    const price = (spot ? row.spot : row.price) ?? 0;
    const c: Candidate = { row, cost: price * nodes, cloud: row.cloud, region: region ?? row.region };
    const prev = best.get(row.cloud);
    if (!prev || prev.cost > c.cost) best.set(row.cloud, c);
  }
  return [...best.values()].sort((a, b) => a.cost - b.cost);
}

interface ResolvedTask {
  spec: TaskSpec;
  accel: Accel | undefined;
  spot: boolean;
  cands: Candidate[];
}

export async function jobsLaunch(argv: string[], p: Profile): Promise<number> {
  void p;
  const { opts, args } = parseCommand(SPEC, argv);
  if (opts.pool === undefined && opts.numJobs !== undefined) throw usage('Cannot specify --num-jobs without --pool.');
  let name = opts.name as string | undefined;
  const cluster = opts.cluster as string | undefined;
  if (cluster !== undefined) {
    if (name !== undefined && name !== cluster) {
      throw usage('Cannot specify both --name and --cluster. Use one of the flags as they are alias.');
    }
    name = cluster;
  }
  const entrypoint = (args.ENTRYPOINT as string[]).join(' ');

  // Env: --env-file, then --env (wins).
  const envs: Record<string, string> = {};
  if (opts.envFile !== undefined) {
    const f = opts.envFile as string;
    if (!existsSync(f)) {
      throw usage(`Invalid value for '--env-file': Dotenv file does not exist: ${f}. Provide a path to an existing file, or remove the flag.`);
    }
    Object.assign(envs, parseDotenv(readFileSync(f, 'utf8')));
  }
  for (const kv of (opts.env as string[] | undefined) ?? []) {
    const eq = kv.indexOf('=');
    if (eq < 0) {
      const local = process.env[kv];
      if (local === undefined) throw usage(`Invalid value for '--env': ${kv} is not set in local environment.`);
      envs[kv] = local;
    } else envs[kv.slice(0, eq)] = kv.slice(eq + 1);
  }

  // Entrypoint: YAML or command (sky/client/cli/command.py _check_yaml).
  const tokens = entrypoint.trim().split(/\s+/);
  const looksYaml = tokens.length === 1 && (entrypoint.endsWith('yaml') || entrypoint.endsWith('.yml'));
  let docs: Yaml[] | undefined;
  if (looksYaml) {
    let reason: string | undefined;
    if (!existsSync(entrypoint)) reason = 'does not exist. Please check if the path is correct.';
    else if (!statSync(entrypoint).isFile()) reason = 'is not a file. Please check if the path is correct.';
    else {
      const parsed = parseAllDocuments(readFileSync(entrypoint, 'utf8'));
      const list = Array.isArray(parsed) ? parsed : [parsed];
      const bad = list.find((d) => d.errors.length > 0);
      if (bad) reason = `contains an invalid configuration. Please check syntax.\n\nYAML Error: ${bad.errors[0]!.message}\n`;
      else docs = list.map((d) => (d.toJS() ?? {}) as Yaml);
    }
    if (reason !== undefined) {
      await confirm(
        `${FORE.yellow}'${entrypoint}' looks like a yaml path but ${reason}${RESET}\nIt will be treated as a command to be run remotely. Continue?`,
        false,
      );
    }
  }
  if (docs) {
    await stdout.line(`${FORE.cyan}YAML to run: ${RESET}${entrypoint}`);
  } else {
    await stdout.line(`${FORE.cyan}Command to run: ${RESET}${entrypoint}`);
  }

  // Tasks: a pipeline is several documents, the first holding only the pipeline's name.
  let dagName: string | undefined;
  let taskDocs: Yaml[];
  if (!docs) taskDocs = [{ run: entrypoint }];
  else if (docs.length > 1) {
    const first = docs[0]!;
    if (Object.keys(first).length === 1 && typeof first.name === 'string') {
      dagName = first.name;
      taskDocs = docs.slice(1);
    } else taskDocs = docs;
  } else taskDocs = docs;

  if (name !== undefined && !NAME_RE.test(name)) {
    throw new SkyException(
      'InvalidClusterNameError',
      `Cluster name "${name}" is invalid; ensure it is fully matched by regex (e.g., only contains letters, numbers and dash): ${NAME_RE_TEXT}`,
    );
  }
  const me = currentUser();
  const firstName = typeof taskDocs[0]?.name === 'string' ? (taskDocs[0].name as string) : undefined;
  const jobName =
    name ?? dagName ?? firstName ?? (docs ? `sky-${randomBytes(2).toString('hex')}-${me.name.toLowerCase().replace(/[^a-z0-9-]/g, '')}` : 'sky-cmd');

  let infraCloud = opts.cloud as string | undefined;
  let infraRegion = opts.region as string | undefined;
  let infraZone = opts.zone as string | undefined;
  if (opts.infra !== undefined) {
    const parts = (opts.infra as string).split('/');
    infraCloud = parts[0];
    infraRegion = parts[1] ?? infraRegion;
    infraZone = parts[2] ?? infraZone;
  }

  const resolved: ResolvedTask[] = taskDocs.map((doc, i) => {
    const res = (doc.resources && typeof doc.resources === 'object' ? doc.resources : {}) as Yaml;
    const accel = opts.gpus !== undefined ? parseAccel(opts.gpus) : parseAccel(res.accelerators);
    const spot = typeof opts.useSpot === 'boolean' ? opts.useSpot : res.use_spot === true;
    let image = (opts.imageId as string | undefined) ?? (typeof res.image_id === 'string' ? res.image_id : undefined);
    if (image?.toLowerCase() === 'none') image = undefined;
    let cloud = infraCloud;
    let region = infraRegion;
    let zone = infraZone;
    if (cloud === undefined && typeof res.infra === 'string') [cloud, region, zone] = res.infra.split('/');
    if (cloud === undefined && typeof res.cloud === 'string') cloud = res.cloud;
    if (region === undefined && typeof res.region === 'string') region = res.region;
    if (zone === undefined && typeof res.zone === 'string') zone = res.zone;
    if (cloud?.toLowerCase() === 'none') cloud = undefined;
    const nodes = (opts.numNodes as number | undefined) ?? (typeof doc.num_nodes === 'number' ? doc.num_nodes : 1);
    const cands = candidates(accel, spot, cloud ? canonicalCloud(cloud) : undefined, region, nodes);
    const chosen = cands[0];
    const cpus = (opts.cpus as string | undefined) ?? (res.cpus !== undefined ? String(res.cpus) : undefined);
    const accelStr = accel ? `${accel.name}:${accel.count}` : `CPU:${cpus ?? '1+'}`;
    const taskEnvs: Record<string, string> = {};
    if (doc.envs && typeof doc.envs === 'object') {
      for (const [k, v] of Object.entries(doc.envs as Yaml)) taskEnvs[k] = v === null || v === undefined ? '' : String(v);
    }
    Object.assign(taskEnvs, envs);
    const cloudName = chosen ? chosen.cloud : cloud ? canonicalCloud(cloud) : '-';
    const regionName = chosen ? chosen.region : (region ?? '');
    const inst = chosen?.row.instance ?? 'n1-highmem-8';
    const diskSize = (opts.diskSize as number | undefined) ?? (typeof res.disk_size === 'number' ? res.disk_size : 256);
    const cres = chosen
      ? `${nodes}x(${accel ? `gpus=${accelStr}, ` : ''}cpus=${chosen.row.vcpus ?? 8}, mem=${chosen.row.hostMem ?? 32}, ${inst}${spot ? '[Spot]' : ''}, disk=${diskSize})`
      : `${nodes}x(${accelStr})`;
    const taskName = typeof doc.name === 'string' ? doc.name : taskDocs.length > 1 ? `${jobName}-${i}` : jobName;
    const spec: TaskSpec = {
      name: taskDocs.length === 1 ? jobName : taskName,
      resources: `${nodes}x[${accelStr}]${spot ? '[Spot]' : ''}`,
      nodes,
      envs: taskEnvs,
      setup: typeof doc.setup === 'string' ? doc.setup : undefined,
      run: typeof doc.run === 'string' ? doc.run : undefined,
      cloud: cloudName,
      region: regionName,
      clusterResources: cres,
    };
    if (image !== undefined) spec.image = image;
    if (zone) spec.zone = zone;
    return { spec, accel, spot, cands };
  });

  if (opts.yes !== true) {
    await stdout.line(`${FORE.yellow}Managed job '${jobName}' will be launched on (estimated):${RESET}`);
    for (const r of resolved) {
      if (resolved.length > 1) await stdout.line('');
      const plural = r.spec.nodes > 1 ? 's' : '';
      const forTask = resolved.length > 1 ? `for task '${r.spec.name}' ` : '';
      await stdout.line(`Considered resources ${forTask}(${r.spec.nodes} node${plural}):`);
      if (r.cands.length === 0) continue;
      const rows = r.cands.map((c, idx) => [
        `${c.cloud} (${c.region})`,
        `${c.row.instance ?? '(attachable)'}${r.spot ? '[Spot]' : ''}`,
        c.row.vcpus === null ? '-' : String(c.row.vcpus),
        c.row.hostMem === null ? '-' : String(c.row.hostMem),
        r.accel ? `${r.accel.name}:${r.accel.count}` : '-',
        c.cost.toFixed(2),
        idx === 0 ? `${FORE.green}   \u2714${RESET}` : '',
      ]);
      await stdout.line(renderTable(['INFRA', 'INSTANCE', 'vCPUs', 'Mem(GB)', 'GPUS', 'COST ($)', 'CHOSEN'], rows, { frame: true }));
    }
    await confirm(`Launching a managed job '${jobName}'. Proceed?`, true);
  }

  // Real launches spend seconds (uploading the task, reaching the controller) before the job exists;
  // SKYLOOP_SIM_LAUNCH_LATENCY_MS models that window, in real milliseconds.
  const latencyMs = Number(process.env.SKYLOOP_SIM_LAUNCH_LATENCY_MS ?? 0);
  if (latencyMs > 0) await sleep(latencyMs);

  // Submit: allocate the id and fix the timeline under the lock.
  const path = scenarioPath(simHome());
  const scenario: Scenario = path === undefined ? { rules: [] } : (await import('../scenario.js')).loadScenario(path);
  const jobId = await updateState((state) => {
    const now = simNow(state);
    const id = state.nextId++;
    const tasks: TaskRecord[] = [];
    let t0: number | undefined = now;
    let failed: { status: string; at: number; fr?: string } | undefined;
    for (const r of resolved) {
      const match = findRule(scenario, { name: jobName, envs: r.spec.envs, image: r.spec.image, infra: `${r.spec.cloud}/${r.spec.region}`.toLowerCase(), spot: r.spot });
      if (failed) {
        const rec: TaskRecord = {
          name: r.spec.name,
          res: r.spec.resources,
          tl: [['PENDING', now], [failed.status, failed.at]],
          infra: '-',
          cloud: r.spec.cloud,
          region: r.spec.region,
          cres: r.spec.clusterResources,
          log: { nodes: r.spec.nodes, su: [], ru: [], n: 0, iv: 60, sd: 0 },
        };
        if (failed.fr) rec.fr = failed.fr;
        tasks.push(rec);
        continue;
      }
      if (t0 === undefined) {
        // The previous task never finishes: this one waits forever.
        tasks.push({
          name: r.spec.name,
          res: r.spec.resources,
          tl: [['PENDING', now]],
          infra: '-',
          cloud: r.spec.cloud,
          region: r.spec.region,
          cres: r.spec.clusterResources,
          log: { nodes: r.spec.nodes, su: [], ru: [], n: 0, iv: 60, sd: 0 },
        });
        continue;
      }
      const built = buildTask(r.spec, match?.rule, scenario, id, t0, p.has);
      if (match) built.task.rule = match.index;
      if (t0 !== now) built.task.tl[0] = ['PENDING', now];
      tasks.push(built.task);
      if (built.end === undefined) t0 = undefined;
      else if (built.final === 'SUCCEEDED') t0 = built.end;
      else {
        failed = { status: built.final ?? 'FAILED', at: built.end };
        if (built.task.fr) failed.fr = built.task.fr;
      }
    }
    const job: JobRecord = { id, name: jobName, user: me.name, uh: me.hash, ws: 'default', sub: now, tasks, rts: runTimestamp(now) };
    const trk = resolved[0] && planTracking(scenario, jobName, resolved[0].spec.envs);
    if (trk) job.trk = trk;
    state.jobs.push(job);
    return id;
  });

  if (opts.async === true) {
    const rid = randomUUID();
    const short = rid.slice(0, 8);
    await stdout.line(`${FORE.green}Submitted sky.jobs.launch request: ${rid}${RESET}`);
    await stdout.line(`${DIM}├── ${RESET}${DIM}Check logs with: ${BRIGHT}sky api logs ${short}${RESET}`);
    await stdout.line(`${DIM}├── ${RESET}${DIM}Or, visit: http://127.0.0.1:46580/api/stream?request_id=${short}`);
    await stdout.line(`${DIM}└── ${RESET}${DIM}To cancel the request, run: ${BRIGHT}sky api cancel ${short}${RESET}`);
    await stdout.line('');
    return 0;
  }

  // All relayed from the API server's log of the launch (test/contract/launch.contract.test.ts).
  if (p.has.ensureControllerUp) {
    // The server launches the controller cluster with an empty task first (sky/jobs/server/core.py
    // _ensure_controller_up); the controller is named after the API server's user, here the only user.
    await stdout.relayed(`${FORE.yellow}Ensuring the jobs controller sky-jobs-controller-${me.hash} is up before continuing job launch...${RESET}`);
    await stdout.relayed(`${RESET}⚙︎ Syncing files.`);
    await stdout.relayed('Run commands not specified or empty.');
    await stdout.relayed('');
  }
  await stdout.relayed(`${FORE.yellow}Launching managed job '${jobName}' from jobs controller...${RESET}`);
  // The controller task's file mounts (the job's DAG YAML) go to the controller first.
  await stdout.relayed(`${RESET}⚙︎ Syncing files.`);
  await stdout.relayed(`${RESET}⚙︎ Job submitted, ID: ${jobId}`);
  let code: number | undefined;
  if (opts.detach !== true) code = await streamJob(jobId, { follow: true, hint: true, profile: p });
  else await stdout.relayed(''); // the detached request's log ends with an empty line (seen with -d only)
  // The CLI's "Useful Commands" block for managed jobs (sky/utils/ux_utils.py).
  if (p.has.launchUsefulCommands) await stdout.line(hint(jobId));
  return code ?? 0;
}

function hint(jobId: number): string {
  const I = `${DIM}├── ${RESET}`;
  const L = `${DIM}└── ${RESET}`;
  const B = '\x1b[1m';
  const R = '\x1b[0m';
  return (
    `\n📋 Useful Commands\nManaged Job ID: ${jobId}` +
    `\n${I}To cancel the job:\t\t${B}sky jobs cancel ${jobId}${R}` +
    `\n${I}To stream job logs:\t\t${B}sky jobs logs ${jobId}${R}` +
    `\n${I}To stream controller logs:\t${B}sky jobs logs --controller ${jobId}${R}` +
    `\n${L}To view all managed jobs:\t${B}sky jobs queue${R}`
  );
}
