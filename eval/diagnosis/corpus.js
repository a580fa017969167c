// The labelled diagnosis corpus: cases/*.yaml hold the key text of each failure verbatim from where it was
// really reported (its `source`), its label and why; this module wraps each key text in the frame a real log
// has around it — SkyPilot's own job or controller lines for the case's SkyPilot version (taken from
// SkyPilot's source: sky/backends/cloud_vm_ray_backend.py, sky/backends/task_codegen.py, sky/jobs/controller.py,
// sky/jobs/recovery_strategy.py, sky/sky_logging.py at 0.9.3, 0.10.5 and 0.14.1), Ray and rank prefixes, healthy
// training output before and around it, ANSI colour and \r progress redraws. Deterministic: a case always
// yields the same bytes. The frame never contains a failure text of its own.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const CASES_DIR = new URL('./cases/', import.meta.url);
const SKY = ['0.9', '0.10', 'current'];
const LOGS = ['job', 'controller'];

/** The half a case belongs to, fixed by its source: every log from one report lands in the same half. */
export function splitOf(source) {
  return createHash('sha256').update(source).digest()[0] % 2 === 0 ? 'dev' : 'test';
}

/** Every case, validated; a malformed one is an error naming its file and id. */
export function loadCases(dir = CASES_DIR) {
  const cases = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    let entries;
    try {
      entries = parse(readFileSync(new URL(file, dir), 'utf8')) ?? [];
    } catch (e) {
      throw new Error(`${file}: ${e.message.split('\n')[0]}`, { cause: e });
    }
    for (const c of entries) {
      const where = `${file}: ${c?.id ?? '(no id)'}`;
      for (const k of ['id', 'label', 'source', 'why', 'key']) if (typeof c?.[k] !== 'string' || c[k].trim() === '') throw new Error(`${where}: "${k}" is missing`);
      if (!LOGS.includes(c.log)) throw new Error(`${where}: log must be one of ${LOGS.join(', ')}`);
      for (const v of c.sky === undefined ? [] : [].concat(c.sky)) if (!SKY.includes(String(v))) throw new Error(`${where}: sky must be one of ${SKY.join(', ')}`);
      cases.push({ ...c, file, split: splitOf(c.source) });
    }
  }
  return cases;
}

/** A small deterministic PRNG seeded by the case id. */
function rng(seed) {
  let h = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  return () => {
    h ^= h << 13; h >>>= 0; h ^= h >>> 17; h ^= h << 5; h >>>= 0;
    return h / 0x1_0000_0000;
  };
}

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Healthy training output: trainer dicts, tqdm bars (optionally redrawn with \r), plain step lines. */
function progressLines(rand, n, { cr }) {
  const out = [];
  const total = Math.max(n * 10, 100);
  for (let i = 0; i < n; i++) {
    const step = (i + 1) * 10;
    const loss = (0.4 + 2.2 * Math.exp(-i / Math.max(n / 3, 1)) + 0.05 * rand()).toFixed(4);
    const style = i % 3;
    if (style === 0) out.push(`{'loss': ${loss}, 'grad_norm': ${(0.5 + rand()).toFixed(3)}, 'learning_rate': ${(3e-4 * (1 - i / (n + 1))).toExponential(2)}, 'epoch': ${(step / total).toFixed(2)}}`);
    else if (style === 1) {
      const bar = (k) => `${pad(Math.floor((100 * k) / total), 3)}%|${'█'.repeat(Math.floor((10 * k) / total)).padEnd(10)}| ${k}/${total} [${pad(Math.floor(k / 60))}:${pad(k % 60)}<${pad(Math.floor((total - k) / 60))}:${pad((total - k) % 60)}, ${(1 + rand() * 3).toFixed(2)}it/s]`;
      out.push(cr ? [step - 9, step - 6, step - 3, step].map(bar).join('\r') : bar(step));
    } else out.push(`epoch ${1 + Math.floor(step / 1000)} step ${step}/${total} | loss ${loss} | lr 3.0e-04 | ${1100 + Math.floor(rand() * 200)} samples/s`);
  }
  return out;
}

/** pip's ordinary install chatter for a setup phase. */
function setupLines(rand, n) {
  const pkgs = ['numpy-1.26.4', 'tqdm-4.66.4', 'pyyaml-6.0.1', 'safetensors-0.4.3', 'tokenizers-0.19.1', 'regex-2024.5.15', 'filelock-3.14.0', 'fsspec-2024.5.0'];
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = pkgs[i % pkgs.length];
    const [name, ver] = [p.slice(0, p.lastIndexOf('-')), p.slice(p.lastIndexOf('-') + 1)];
    out.push(i % 2 === 0 ? `Collecting ${name}==${ver}` : `  Downloading ${name}-${ver}-py3-none-any.whl (${(rand() * 900 + 20).toFixed(1)} kB)`);
  }
  return out;
}

function skyTime(version, rand, t) {
  const d = new Date(Date.UTC(2025, 5, 3, 14, 0, 0) + t * 1000);
  const base = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return version === 'current' ? `${base}.${pad(Math.floor(rand() * 1000), 3)} PID=${2000 + Math.floor(rand() * 100)}` : base;
}

/** One SkyPilot logger line (sky/sky_logging.py _FORMAT of that version). */
function skyLine(version, rand, t, level, file, msg) {
  return `${level} ${skyTime(version, rand, t)} ${file}] ${msg}`;
}

function variants(c) {
  return c.sky === undefined ? ['current'] : [].concat(c.sky).map(String);
}

/** Every log a case yields (one per SkyPilot version it lists). */
export function logsOf(c) {
  return variants(c).map((version) => ({ name: variants(c).length > 1 ? `${c.id}@${version}` : c.id, version, text: buildLog(c, version) }));
}

function keyLines(c) {
  return c.key.replace(/\n$/, '').split('\n');
}

function buildLog(c, version) {
  if (c.raw) return c.key;
  const rand = rng(`${c.id}@${version}`);
  return c.log === 'controller' ? controllerLog(c, version, rand) : jobLog(c, version, rand);
}

function jobLog(c, version, rand) {
  const nodes = c.nodes ?? 1;
  const pid = 1000 + Math.floor(rand() * 60000);
  const task = c.task ?? 'train';
  const runPrefix = (node) => {
    if (nodes <= 1) return `(${task}, pid=${pid}) `;
    return node === 0 ? `(head, rank=0, pid=${pid}) ` : `(worker${node}, rank=${node}, pid=${pid + node}, ip=10.0.0.${node + 1}) `;
  };
  const setupPrefix = `(setup pid=${pid}) `;
  const out = [
    `${DIM}├── ${RESET}${DIM}Waiting for task resources on ${nodes} node${nodes > 1 ? 's' : ''}.${RESET}`,
    `${DIM}└── ${RESET}Job started. Streaming logs... ${DIM}(Ctrl-C to exit log streaming; job will not be killed)${RESET}`,
  ];
  for (const l of setupLines(rand, c.phase === 'setup' ? 6 : 12)) out.push(setupPrefix + l);
  // A setup step that failed but was guarded (`|| true`, `|| echo …`): its text, then setup goes on.
  if (c.setup_before) {
    for (const l of c.setup_before.replace(/\n$/, '').split('\n')) out.push(setupPrefix + l);
    for (const l of setupLines(rand, 4)) out.push(setupPrefix + l);
  }
  const keyPrefix = c.phase === 'setup' ? setupPrefix : runPrefix(c.rank_of_key ?? 0);
  const rankTag = c.prefix === 'rank' && c.phase !== 'setup' ? `[rank${c.rank_of_key ?? 0}]:` : '';
  if (c.before) for (const l of c.before.replace(/\n$/, '').split('\n')) out.push(runPrefix(0) + l);
  if (c.phase !== 'setup') {
    const n = c.noise ?? 40;
    for (const l of progressLines(rand, n, { cr: c.cr })) out.push(runPrefix(0) + (c.ansi ? l.replace(/^\{'loss'/, `${DIM}{'loss'`).replace(/\}$/, `}${RESET}`) : l));
  }
  for (const l of keyLines(c)) out.push(keyPrefix + (rankTag && l !== '' ? `${rankTag} ${l}` : l));
  if (c.after_key) for (const l of c.after_key.replace(/\n$/, '').split('\n')) out.push(runPrefix(nodes > 1 ? 1 : 0) + (rankTag && l !== '' ? `[rank${nodes > 1 ? 1 : 0}]: ${l}` : l));
  if (c.after_noise) for (const l of progressLines(rand, c.after_noise, { cr: c.cr })) out.push(runPrefix(0) + l);
  const rc = c.exit ?? 1;
  if (c.status === 'SUCCEEDED') {
    out.push(`${c.version === '0.9' ? '' : '✓ '}Job finished (status: SUCCEEDED).`);
    return out.join('\n') + '\n';
  }
  if (c.phase === 'setup') {
    out.push(version === '0.9'
      ? `ERROR: ${RED}Job 1's setup failed with return code list:${RESET} [${rc}]`
      : `ERROR: ${RED}Job 1's setup failed. Failed workers: (pid=${pid}, returncode=${rc}). See error logs above for more details.${RESET}`);
  } else if (nodes > 1 && version !== '0.9') {
    const codes = [rc, ...Array.from({ length: nodes - 1 }, () => 137)];
    out.push(`ERROR: ${RED}Job 1 failed with return code list:${RESET} [${codes.join(', ')}] (A Worker failed with return code ${rc}, SkyPilot cleaned up the processes on other nodes with return code 137)`);
  } else {
    const codes = Array.from({ length: nodes }, () => rc);
    out.push(`ERROR: ${RED}Job 1 failed with return code list:${RESET} [${codes.join(', ')}] ${codes.includes(139) ? '(likely due to Segmentation Fault)' : ''}`);
  }
  out.push(`✓ Job finished (status: ${c.status === 'FAILED_SETUP' ? 'FAILED_SETUP' : 'FAILED'}).`);
  return out.join('\n') + '\n';
}

function controllerLog(c, version, rand) {
  let t = 0;
  const line = (level, file, msg) => skyLine(version, rand, (t += 1 + Math.floor(rand() * 20)), level, file, msg);
  const name = c.task ?? 'train';
  const out = [
    line('I', 'controller.py:192', `Submitted managed job 1 (task: 0, name: '${name}'); SKYPILOT_TASK_ID: sky-managed-2025-06-03-14-00-00-000000_${name}_1-0`),
    line('I', 'controller.py:199', 'Started monitoring.'),
  ];
  if (c.before) out.push(...c.before.replace(/\n$/, '').split('\n'));
  if (c.user_job || c.status === 'SUCCEEDED') return userJobEnding(c, version, rand, out, line);
  const retries = c.retries ?? (['STARTING', 'PENDING', 'FAILED_NO_RESOURCE'].includes(c.status) ? 3 : 0);
  const key = keyLines(c);
  for (let r = 0; r <= retries; r++) {
    if (r === 0 || c.repeat_key) out.push(...key);
    if (r === retries && !['STARTING', 'PENDING'].includes(c.status)) break;
    if (retries > 0) {
      out.push(line('I', 'recovery_strategy.py:329', `Failed to launch a cluster with error: sky.exceptions.ResourcesUnavailableError: Failed to acquire resources in all zones in ${c.region ?? 'us-east-1'} for {${c.resources ?? 'AWS(g5.2xlarge, {\'A10G\': 1})'}}. )`));
      out.push(line('I', 'recovery_strategy.py:367', `Retrying to launch the cluster in ${(20 + rand() * 40).toFixed(1)} seconds.`));
    }
  }
  if (c.status === 'FAILED_NO_RESOURCE') {
    out.push(line('E', 'controller.py:2578', 'Managed job reached max retries for task 0'));
  } else if (c.status === 'FAILED_PRECHECKS') {
    out.push(line('E', 'controller.py:2563', 'Provision prechecks failed for task 0'));
  } else if (c.status === 'RECOVERING') {
    out.push(line('I', 'controller.py:388', 'Cleaning up the preempted or failed cluster...'));
  }
  return out.join('\n') + '\n';
}

/** A controller log whose cluster launched: SkyPilot's own closing lines, with the user job's log quoted for a failure. */
function userJobEnding(c, version, rand, out, line) {
  if (c.status === 'SUCCEEDED') {
    out.push(...keyLines(c));
    return out.join('\n') + '\n';
  }
  out.push(line('I', 'controller.py:755', `Cluster launch completed in ${(60 + rand() * 200).toFixed(2)}s`));
  out.push(line('I', 'controller.py:1320', 'Task 0 failed with status: JobStatus.FAILED'));
  out.push(line('I', 'controller.py:1325', 'The user job failed (JobStatus.FAILED). Please check the logs below.'));
  out.push(line('I', 'controller.py:1327', '== Logs of the user job (ID: 1) =='), '');
  out.push(...jobLog({ ...c, log: 'job', before: undefined }, version, rand).replace(/\n$/, '').split('\n'));
  out.push('', line('I', 'controller.py:447', '== End of logs (ID: 1) =='));
  out.push(line('I', 'controller.py:1451', 'Task 0 failed and will not be retried'));
  return out.join('\n') + '\n';
}
