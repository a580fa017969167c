// rebuild_and_verify_digest (F3): run the experiment config's trusted test → build → push commands (never
// commands from a tool argument), then resolve the pushed tag's digest in the registry itself. A rebuild
// is verified only if every step passed, the registry knows the tag, and the digest is not the one the
// failed batch ran on although the source changed (a stale push). Refused outright while a job of the batch
// is not terminal (F1: launching jobs pull the tag this moves) and from a tree with uncommitted changes
// (F3: the image must be traceable to a commit).
import { createWriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { redact } from '../redaction/redact.js';
import { checkCommittedTree } from '../rules/rebuild-before-relaunch.js';
import { enforce } from '../rules/rule-refusal.js';
import { ExperimentStore, outputsPath } from '../store/experiment-store.js';
import { withFileLock } from '../store/file-lock.js';
import { gitState } from '../vcs/git-state.js';
import { loadExperimentFiles } from './experiment-files.js';
import type { FactorialContext } from './factorial-context.js';
import { currentBatch, type Rebuild, type RebuildStep } from './manifest.js';
import { checkTerminalNow } from './terminal-now.js';

const STEPS = ['test', 'build', 'push'] as const;
const TAIL_LINES = 20;

/**
 * Rebuilds of one experiment run one at a time (each waits for the one before), so each gets its own id
 * and its own log.
 */
export async function rebuildAndVerify(experimentId: string, ctx: FactorialContext): Promise<Rebuild> {
  const store = new ExperimentStore(ctx.outputsDir, experimentId);
  const { commands } = loadExperimentFiles(store.read().config_file).cfg;
  // Long enough for the rebuild in front: its three steps at their time limit, and the registry checks.
  const waitMs = (commands.timeout_s * STEPS.length + 120) * 1000;
  return withFileLock(`${store.manifestPath}.rebuild`, () => rebuildLocked(store, experimentId, ctx), waitMs);
}

async function rebuildLocked(store: ExperimentStore, experimentId: string, ctx: FactorialContext): Promise<Rebuild> {
  const vars = { experiment: experimentId, config: store.read().config_file };
  const terminal = await checkTerminalNow(store, ctx, { killSwitchException: false });
  enforce(terminal.verdict, vars);
  const manifest = terminal.manifest;
  const files = loadExperimentFiles(manifest.config_file);
  const { commands } = files.cfg;
  if (!commands.build || !commands.push) {
    throw new Error(`${files.configPath}: commands.build and commands.push are needed to rebuild (commands.test is recommended)`);
  }
  const image = files.image;
  if (!image?.startsWith('docker:') || image.includes('@')) {
    throw new Error(`${files.configPath}: a rebuild pushes a tag; the image must be a docker:<repo>:<tag> reference, not ${image}`);
  }
  const batch = manifest.batches.at(-1);
  const id = manifest.rebuilds.length + 1;
  const logFile = outputsPath(ctx.outputsDir, `rebuild_${experimentId}_${id}.log`);
  const cwd = dirname(files.configPath);
  const source = await gitState(cwd);
  enforce(checkCommittedTree({ git_dirty: source.dirty }, 'rebuild'), vars);

  // What the tag pointed to before this rebuild: the image the failed batch ran, unless it was pinned.
  const before = batch?.docker_digest ?? (await ctx.registry.resolveDigest(image).then((r) => r.digest, () => null));

  const log = createWriteStream(logFile);
  const steps: RebuildStep[] = [];
  let refused: string | null = null;
  try {
    for (const name of STEPS) {
      const command = commands[name];
      if (command === undefined) continue;
      const step = await runStep(name, command, cwd, commands.timeout_s, log);
      steps.push(step);
      if (step.exit_code !== 0) {
        refused = `${name} step ${step.timed_out ? `timed out after ${commands.timeout_s} s` : `exited with ${step.exit_code}`}: \`${command}\``;
        break;
      }
    }
  } finally {
    await new Promise((r) => log.end(r));
  }

  let digest: string | null = null;
  if (refused === null) {
    try {
      digest = (await ctx.registry.resolveDigest(image)).digest;
    } catch (e) {
      refused = `the pushed image is not verifiable in the registry: ${(e as Error).message}`;
    }
  }
  const sourceChanged = batch !== undefined && (source.commit !== batch.git_commit || files.configSha256 !== batch.config_sha256);
  if (refused === null && sourceChanged && digest !== null && digest === before) {
    refused = `stale push: ${image} still resolves to ${digest}, the image batch ${batch?.batch} ran, although the source changed since; did the build use the cache or push another tag?`;
  }
  const rebuild: Rebuild = {
    id,
    at: ctx.now().toISOString(),
    after_batch: batch ? currentBatch(manifest) : 0,
    git_commit: source.commit,
    git_dirty: source.dirty,
    config_sha256: files.configSha256,
    image,
    digest,
    verified: refused === null,
    refused_reason: refused,
    steps,
    log_file: logFile,
  };
  await store.update((m) => {
    m.rebuilds.push(rebuild);
    return {
      events: [{ type: 'rebuild', id, after_batch: rebuild.after_batch, verified: rebuild.verified, image, digest, git_commit: source.commit, refused_reason: refused }],
      result: undefined,
    };
  });
  return rebuild;
}

async function runStep(
  name: RebuildStep['name'],
  command: string,
  cwd: string,
  timeoutS: number,
  log: NodeJS.WritableStream,
): Promise<RebuildStep> {
  log.write(redact(`\n$ ${command}\n`));
  const started = Date.now();
  const tail: string[] = [];
  // The command is the user's own, from their config file, so it runs in a shell like in their terminal.
  const child = execa(command, { shell: true, cwd, timeout: timeoutS * 1000, reject: false, stdin: 'ignore', all: true, buffer: false, forceKillAfterDelay: 5_000 });
  for await (const line of child.iterable({ from: 'all' })) {
    const text = String(line);
    log.write(`${redact(text)}\n`);
    tail.push(text);
    if (tail.length > TAIL_LINES) tail.shift();
  }
  const result = await child;
  log.write(`[${name}: exit ${result.exitCode ?? 'none'}${result.timedOut ? ', timed out' : ''}]\n`);
  return {
    name,
    command,
    exit_code: result.exitCode ?? null,
    duration_s: Math.round((Date.now() - started) / 100) / 10,
    timed_out: result.timedOut,
    output_tail: tail.map(redact),
  };
}
