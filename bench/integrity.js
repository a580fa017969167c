// The crash/concurrency campaign (issue 11): kill -9 of launchers at random instants, 8-way races for one
// dead lock and for one experiment's launch, a full disk at 10 free-space levels, and the secrets matrix.
// It reports counts — duplicates, losses, unreadable manifests, secret leaks — which must all be zero.
// Deterministic seeds: SKYLOOP_CRASH_SEED replays a campaign. Runs against dist/ and the real CLI.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Buffer } from 'node:buffer';
import { setTimeout, clearTimeout } from 'node:timers';
import { ROOT, SKY_SIM } from './lib/sim-fixture.js';
import { secretFormats } from '../dist/redaction/secret-formats.js';

const SKYLOOP = join(ROOT, 'bin', 'skyloop');
const exec = promisify(execFile);
const KILLS = Number(process.env.SKYLOOP_BENCH_KILLS ?? 50);
const RACE_ROUNDS = Number(process.env.SKYLOOP_BENCH_RACES ?? 100);

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TASK = 'name: train\nresources:\n  accelerators: A100:1\n  image_id: docker:ghcr.io/example/seg-train:v1\nrun: python -m train\n';
const CONFIG = 'experiment: seg\nfactors:\n  model: [a, b]\n  loss: [x, y]\n  fold: [0, 1, 2]\ntask: task.yaml\ncost: {hourly_rate_usd: 1, expected_hours: 1, budget_usd: 100, approval_threshold_usd: 100}\n';

function world(outputs) {
  const dir = mkdtempSync(join(tmpdir(), 'skyloop-bench-integrity-'));
  writeFileSync(join(dir, 'task.yaml'), TASK);
  writeFileSync(join(dir, 'experiment.yaml'), CONFIG);
  const env = { ...process.env, SKYLOOP_SIM_HOME: join(dir, 'sim'), SKYLOOP_SIM_SPEED: '0', SKYLOOP_SKY_BIN: SKY_SIM, SKYLOOP_OUTPUTS_DIR: outputs ?? join(dir, 'outputs') };
  const outs = env.SKYLOOP_OUTPUTS_DIR;
  return { dir, env, config: join(dir, 'experiment.yaml'), manifest: join(outs, 'factorial_manifest_seg.json'), events: join(outs, 'factorial_events_seg.jsonl') };
}

const skyloop = (w, args, env = w.env) => exec(SKYLOOP, args, { env, maxBuffer: 64 << 20 }).then((r) => ({ code: 0, ...r }), (e) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));

function manifestReadable(path) {
  if (!existsSync(path)) return true;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8'));
    return m.schema_version === 1 && Array.isArray(m.jobs);
  } catch {
    return false;
  }
}

/** Duplicates: job names with more than one job in the queue. Losses: queue jobs the manifest does not hold. */
async function audit(w) {
  const queue = JSON.parse((await skyloop(w, ['queue', '--json'])).stdout).jobs;
  const perName = new Map();
  for (const j of queue) perName.set(j.job_name, (perName.get(j.job_name) ?? 0) + 1);
  const duplicates = [...perName.values()].filter((n) => n > 1).reduce((s, n) => s + n - 1, 0);
  const m = JSON.parse(readFileSync(w.manifest, 'utf8'));
  const recorded = new Set(m.jobs.flatMap((j) => j.attempts.map((a) => a.job_id)).filter((id) => id !== null));
  const losses = queue.filter((j) => !recorded.has(j.job_id)).length + m.jobs.filter((j) => j.attempts.length === 0).length;
  return { duplicates, losses };
}

async function killCampaign(random) {
  let kills = 0, midway = 0, unreadable = 0, duplicates = 0, losses = 0;
  for (let worldNo = 0; kills < KILLS; worldNo++) {
    const w = world();
    w.env.SKYLOOP_SIM_LAUNCH_LATENCY_MS = '300';
    for (let k = 0; k < 5 && kills < KILLS; k++) {
      const child = spawn(SKYLOOP, ['factorial', 'launch', w.config, '--json'], { env: w.env, stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60 + random() * 1500);
      const signal = await new Promise((r) => child.on('exit', (_code, sig) => r(sig)));
      clearTimeout(timer);
      kills++;
      if (signal === 'SIGKILL') midway++;
      if (!manifestReadable(w.manifest)) unreadable++;
    }
    const final = await skyloop(w, ['factorial', 'launch', w.config, '--json']);
    if (final.code !== 0 || !manifestReadable(w.manifest)) unreadable++;
    else {
      const a = await audit(w);
      duplicates += a.duplicates;
      losses += a.losses;
    }
    rmSync(w.dir, { recursive: true, force: true });
  }
  return `${kills} kill -9 of \`factorial launch\` (${midway} mid-run): duplicates ${duplicates}, losses ${losses}, unreadable manifests ${unreadable}`;
}

/** 8 processes race for one lock whose owner is dead; each holder marks entry and exit in a shared file. */
async function lockRaces() {
  const dir = mkdtempSync(join(tmpdir(), 'skyloop-bench-lock-'));
  const file = join(dir, 'manifest.json');
  const trace = join(dir, 'trace');
  const racer = `
    import { appendFileSync } from 'node:fs';
    import { withFileLock } from ${JSON.stringify(join(ROOT, 'dist', 'store', 'file-lock.js'))};
    await withFileLock(${JSON.stringify(file)}, async () => {
      appendFileSync(${JSON.stringify(trace)}, 'in ' + process.pid + '\\n');
      await new Promise((r) => setTimeout(r, 2));
      appendFileSync(${JSON.stringify(trace)}, 'out ' + process.pid + '\\n');
    }, 120000);`;
  const dead = spawn('true');
  await new Promise((r) => dead.on('exit', r));
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  let overlaps = 0, refused = 0;
  for (let round = 0; round < RACE_ROUNDS; round++) {
    writeFileSync(trace, '');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: dead.pid, started: '1', boot: bootId, host: hostname(), since: new Date().toISOString(), token: `dead-${round}` }));
    const codes = await Promise.all(Array.from({ length: 8 }, () => new Promise((r) => spawn(process.execPath, ['--input-type=module', '-e', racer], { stdio: 'ignore' }).on('exit', r))));
    refused += codes.filter((c) => c !== 0).length;
    let inside = 0;
    for (const line of readFileSync(trace, 'utf8').trim().split('\n')) {
      inside += line.startsWith('in ') ? 1 : -1;
      if (inside > 1) overlaps++;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return `${RACE_ROUNDS} rounds × 8 racers taking over one dead lock: two holders at once ${overlaps} times, racers that failed ${refused}`;
}

/** 8 launchers of one experiment at once, each round with a dead launch lock planted first. */
async function launchRaces() {
  let duplicates = 0, losses = 0, unreadable = 0;
  const rounds = 5;
  for (let round = 0; round < rounds; round++) {
    const w = world();
    w.env.SKYLOOP_SIM_LAUNCH_LATENCY_MS = '100';
    mkdirSync(w.env.SKYLOOP_OUTPUTS_DIR, { recursive: true });
    writeFileSync(`${w.manifest}.launch.lock`, JSON.stringify({ pid: 999999, started: '1', boot: 'x', host: hostname(), since: new Date().toISOString(), token: 'dead' }));
    await Promise.all(Array.from({ length: 8 }, () => skyloop(w, ['factorial', 'launch', w.config, '--json'])));
    await skyloop(w, ['factorial', 'launch', w.config, '--json']);
    if (!manifestReadable(w.manifest)) unreadable++;
    else {
      const a = await audit(w);
      duplicates += a.duplicates;
      losses += a.losses;
    }
    rmSync(w.dir, { recursive: true, force: true });
  }
  return `${rounds} rounds × 8 concurrent \`factorial launch\` over a dead lock: duplicates ${duplicates}, losses ${losses}, unreadable manifests ${unreadable}`;
}

/** A poll on a full disk at 10 levels of free space: the manifest is the old one or the new one, whole. */
async function diskFull() {
  const mnt = mkdtempSync(join(tmpdir(), 'skyloop-bench-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1024k', 'tmpfs', mnt], { stdio: 'pipe' });
  } catch {
    rmSync(mnt, { recursive: true, force: true });
    return 'disk full: skipped (mounting a tmpfs needs root)';
  }
  const free = () => { const s = statfsSync(mnt); return Number(s.bavail) * Number(s.bsize); };
  let unreadable = 0, lost = 0, orphanEvents = 0, refusals = 0, named = 0, levels = 0;
  try {
    for (let level = 0; level < 10; level++) {
      const outputs = join(mnt, `o${level}`);
      const w = world(outputs);
      if ((await skyloop(w, ['factorial', 'launch', w.config, '--json'])).code !== 0) throw new Error('launch failed on the small disk');
      await exec(SKY_SIM, ['sim', 'advance', '600'], { env: w.env });
      const before = readFileSync(w.manifest, 'utf8');
      const eventsBefore = readFileSync(w.events, 'utf8');
      // Fill up to `level` × 4 KiB free.
      const filler = join(mnt, 'filler');
      const fd = openSync(filler, 'w');
      try { const chunk = Buffer.alloc(4096, 1); while (free() > level * 4096) writeSync(fd, chunk); } catch { /* full */ } finally { closeSync(fd); }
      const r = await skyloop(w, ['factorial', 'status', 'seg', '--refresh']);
      levels++;
      const after = existsSync(w.manifest) ? readFileSync(w.manifest, 'utf8') : '';
      const eventsAfter = readFileSync(w.events, 'utf8');
      if (!manifestReadable(w.manifest)) unreadable++;
      if (r.code !== 0) {
        refusals++;
        // The file that could not be written is the manifest or, when the event append came first, the event log.
        if ([w.manifest, w.events].some((f) => r.stderr.includes(`${f}: the disk is full`))) named++;
        if (after !== before) lost++;
        if (eventsAfter !== eventsBefore) orphanEvents++;
      } else if (JSON.parse(after).last_poll_at === JSON.parse(before).last_poll_at) lost++;
      rmSync(filler, { force: true });
      rmSync(outputs, { recursive: true, force: true });
      rmSync(w.dir, { recursive: true, force: true });
    }
  } finally {
    execFileSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  }
  return `${levels} free-space levels (0–36 KiB) during a poll: unreadable manifests ${unreadable}, lost or half-written updates ${lost}, events without their change ${orphanEvents}; ${refusals} refused, ${refusals - named} not naming the file and the full disk`;
}

/** Every secret format through the CLI, the MCP server, the manifest and the event log. */
async function secretsMatrix() {
  const formats = secretFormats();
  const cores = formats.map((f) => {
    f.regex.lastIndex = 0;
    const m = f.regex.exec(f.example);
    const kept = f.keep === undefined ? '' : (m[f.keep] ?? '');
    return { id: f.id, example: f.example, wholeLine: (f.flags ?? '').includes('m'), core: m[0].slice(kept.length, m[0].length - (f.replace_suffix?.length ?? 0)) };
  });
  const w = world();
  const log = join(w.dir, 'train.log');
  writeFileSync(log, ['epoch 1', ...cores.map((c) => c.example), 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB', ''].join('\n'));
  const oneLine = cores.filter((c) => !c.example.includes('\n') && !c.wholeLine).map((c) => c.example).join(' ; ');
  const sky = join(w.dir, 'sky-leaky');
  writeFileSync(join(w.dir, 'err.txt'), `sky.exceptions.ResourcesUnavailableError: ${oneLine}\n`);
  writeFileSync(sky, `#!/bin/sh\nif [ "$1" = jobs ] && [ "$2" = launch ]; then cat '${join(w.dir, 'err.txt')}' >&2; exit 1; fi\nexec '${SKY_SIM}' "$@"\n`);
  chmodSync(sky, 0o755);
  const env = { ...w.env, SKYLOOP_SKY_BIN: sky };
  const surfaces = {};
  surfaces['CLI analyze-logs text'] = (await skyloop(w, ['analyze-logs', log], env)).stdout;
  surfaces['CLI analyze-logs --json'] = (await skyloop(w, ['analyze-logs', log, '--json'], env)).stdout;
  const launch = await skyloop(w, ['factorial', 'launch', w.config, '--json'], env);
  surfaces['CLI launch --json (sky error text)'] = launch.stdout;
  surfaces['CLI launch text'] = (await skyloop(w, ['factorial', 'launch', w.config], env)).stdout;
  surfaces['CLI status --json'] = (await skyloop(w, ['factorial', 'status', 'seg', '--json', '--all'], env)).stdout;
  const report = JSON.parse((await skyloop(w, ['factorial', 'report', 'seg', '--json'], env)).stdout || '{}');
  surfaces['manifest'] = readFileSync(w.manifest, 'utf8');
  surfaces['events'] = readFileSync(w.events, 'utf8');
  if (report.jsonl_path) surfaces['run JSONL'] = readFileSync(report.jsonl_path, 'utf8');
  if (report.markdown_path) surfaces['Markdown report'] = readFileSync(report.markdown_path, 'utf8');
  const mcp = await mcpAnalyze(env, readFileSync(log, 'utf8'), oneLine);
  Object.assign(surfaces, mcp);
  rmSync(w.dir, { recursive: true, force: true });
  let leaks = 0;
  const where = [];
  for (const [name, text] of Object.entries(surfaces)) {
    for (const c of cores) {
      if (text.includes(c.core) || text.includes(JSON.stringify(c.core).slice(1, -1))) {
        leaks++;
        where.push(`${c.id} in ${name}`);
      }
    }
  }
  return `${cores.length} formats × ${Object.keys(surfaces).length} surfaces (${Object.keys(surfaces).join(', ')}): ${leaks} leaks${where.length ? ` (${where.join('; ')})` : ''}`;
}

async function mcpAnalyze(env, text, oneLine) {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'bin', 'skyloop-mcp')], env, stderr: 'ignore' }));
  try {
    const result = await client.callTool({ name: 'analyze_logs', arguments: { text } }, undefined, { timeout: 600_000 });
    const error = await client.callTool({ name: 'analyze_logs', arguments: { path: `/nonexistent/${oneLine}.log` } }, undefined, { timeout: 600_000 });
    return { 'MCP analyze_logs result': JSON.stringify(result), 'MCP error': JSON.stringify(error) };
  } finally {
    await client.close();
  }
}

/** The campaign's parts, by the name `node bench/integrity.js NAME...` selects them with. */
const PARTS = {
  kills: () => killCampaign(mulberry32(Number(process.env.SKYLOOP_CRASH_SEED ?? 20261201))),
  locks: lockRaces,
  launches: launchRaces,
  disk: diskFull,
  secrets: secretsMatrix,
};

export async function run(names = Object.keys(PARTS)) {
  const lines = [];
  for (const name of names) lines.push(await PARTS[name]());
  return { title: 'integrity campaign (issue 11): every count below must be 0', lines };
}

// `node bench/integrity.js [kills|locks|launches|disk|secrets]...`: the campaign alone, or some of its parts.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in PARTS));
  if (unknown.length > 0) {
    console.error(`bench/integrity.js: unknown part ${unknown.join(', ')} (parts: ${Object.keys(PARTS).join(', ')})`);
    process.exit(2);
  }
  const { title, lines } = await run(names.length > 0 ? names : undefined);
  console.log(`${title}\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
