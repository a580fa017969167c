import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../mcp-server/src/diagnosis/analyze-log.js';
import { loadPatternLibrary } from '../../mcp-server/src/diagnosis/pattern-library.js';

const library = loadPatternLibrary();
const LOGS = new URL('../../mcp-server/src/simulator/failure-logs/', import.meta.url);
const index = parse(readFileSync(new URL('index.yaml', LOGS), 'utf8')) as Record<string, { file: string; status: string; phase: string }>;

const progress = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `(train, pid=4242) epoch 3 step ${from + i}/9000 | loss 0.41${i % 10} | lr 3.0e-04 | 1204 samples/s`).join('\n');
const OOM = [
  'Traceback (most recent call last):',
  '  File "/app/train.py", line 212, in <module>',
  '    loss.backward()',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.25 GiB of which 1.13 GiB is free.',
].join('\n');

describe('analyze_logs on the real failure-log library (one realistic multi-hundred-line log per category)', () => {
  it.each(Object.entries(index))('%s', (id, entry) => {
    const text = readFileSync(new URL(entry.file, LOGS), 'utf8');
    // What `sky jobs logs` shows: the program's lines behind Ray-style prefixes.
    // A few hundred lines of healthy training first, as in a real run.
    const prefixed = entry.phase === 'provision' ? text : `${progress(400)}\n${text.split('\n').map((l) => (l ? `(train, pid=2383) ${l}` : l)).join('\n')}`;
    const result = analyzeText(prefixed, library, { status: entry.status });
    expect(result.category).toBe(id);
    expect(result.evidence.length + (result.confidence === 'low' ? 1 : 0)).toBeGreaterThan(0);
  });
});

describe('analyze_logs on the hard cases', () => {
  it('blames the CUDA OOM on rank 0, not the NCCL errors it caused on the other ranks', () => {
    const log = [
      progress(50),
      OOM.split('\n').map((l) => `(head, rank=0, pid=11) ${l}`).join('\n'),
      '(worker1, rank=1, pid=12, ip=10.0.0.2) [rank1]:[E ProcessGroupNCCL.cpp:616] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=2043, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=600000) ran for 600011 milliseconds before timing out.',
      '(worker1, rank=1, pid=12, ip=10.0.0.2) torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1970, unhandled system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.21.5',
      'ERROR: Job 1 failed with return code list: [1, 1] ',
    ].join('\n');
    const r = analyzeText(log, library, { status: 'FAILED' });
    expect(r.category).toBe('OOM_CUDA');
    expect(r.confidence).toBe('high');
    expect(r.evidence[0]?.line_number).toBe(54);
    expect(r.evidence[0]?.line).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory/);
    expect(r.exception_type).toBe('torch.OutOfMemoryError');
    expect(r.exit_code).toBe(1);
    expect(r.seen.map((s) => s.category)).toEqual(expect.arrayContaining(['OOM_CUDA', 'NCCL_ERROR']));
  });

  it('does not blame an early error the job recovered from for a late failure', () => {
    const early = '(train, pid=4242) torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1970, unhandled system error';
    const late = [
      "(train, pid=4242) FileNotFoundError: [Errno 2] No such file or directory: '/data/fold_2/labels.csv'",
      'ERROR: Job 1 failed with return code list: [1] ',
    ].join('\n');
    const r = analyzeText([progress(20), early, progress(2000, 21), 'Traceback (most recent call last):', '  File "/app/data.py", line 88, in load', late].join('\n'), library, { status: 'FAILED' });
    expect(r.category).toBe('DATA_MISSING');
    expect(r.seen.find((s) => s.category === 'NCCL_ERROR')).toMatchObject({ live: false, first_line: 21 });
  });

  it('ignores benign mentions: a URL with "unauthorized", "0 errors", a retry that succeeded', () => {
    const log = [
      '(train, pid=7) See https://docs.example.com/errors/unauthorized-access for the token scopes',
      '(train, pid=7) Validation finished: 0 errors, 3 warnings',
      '(train, pid=7) Connection timed out, retrying (1/5)...',
      '(train, pid=7) Connected.',
      progress(400),
      '(train, pid=7) Training complete.',
    ].join('\n');
    const r = analyzeText(log, library, { status: 'SUCCEEDED' });
    expect(r.category).toBe('UNKNOWN');
    expect(r.evidence).toEqual([]);
  });

  it('keeps the exception type of an uncaught user exception and fingerprints its line', () => {
    const log = [progress(30), 'Traceback (most recent call last):', '  File "/app/train.py", line 40, in <module>', "    lr = cfg['optim']['lr']", "KeyError: 'lr'", 'ERROR: Job 1 failed with return code list: [1] '].join('\n');
    const r = analyzeText(log, library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'PYTHON_EXCEPTION', exception_type: 'KeyError', confidence: 'medium', fingerprint: "PYTHON_EXCEPTION:KeyError: 'lr'" });
  });

  it('strips ANSI colours and \\r progress bars, and counts lines across chunk boundaries', () => {
    const bar = Array.from({ length: 20 }, (_, i) => `\r Epoch 1: ${i * 5}%|██▌ | ${i}/20`).join('') + '\n';
    const filler = progress(60_000); // several MB: the engine processes it in chunks
    const log = `${bar}${filler}\n\x1b[31m${OOM.split('\n').at(-1)}\x1b[0m\n`;
    const r = analyzeText(log, library, { status: 'FAILED' });
    expect(r.category).toBe('OOM_CUDA');
    expect(r.evidence[0]?.line_number).toBe(60_002);
    expect(r.evidence[0]?.line).not.toMatch(/\x1b/);
    expect(r.lines).toBe(60_002);
  });

  it('redacts secrets in every excerpt', () => {
    const log = [
      '(train, pid=9) export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz123456',
      '(train, pid=9) mlflow.exceptions.MlflowException: API request to http://admin:s3cretpass@mlflow.internal:5000/api/2.0/mlflow/runs/create failed with exception HTTPConnectionPool(host=\'mlflow.internal\', port=5000): Max retries exceeded with url: /api/2.0/mlflow/runs/create (Caused by NewConnectionError(\'Failed to establish a new connection: [Errno 111] Connection refused\'))',
      '(train, pid=9) AWS key AKIAABCDEFGHIJKLMNOP ghp_abcdefghijklmnopqrstuvwxyz0123456789 sky_abcdefghijklmnop1234',
    ].join('\n');
    const r = analyzeText(log, library, { status: 'FAILED' });
    const text = JSON.stringify(r);
    for (const secret of ['hf_abcdefghij', 's3cretpass', 'AKIAABCDEFGHIJKLMNOP', 'ghp_abcdefghij', 'sky_abcdefghij']) expect(text).not.toContain(secret);
    expect(text).toContain('admin:<redacted>@mlflow.internal');
  });

  it('falls back to the exit code when no line says what happened (137: killed for memory)', () => {
    const r = analyzeText([progress(40), 'ERROR: Job 1 failed with return code list: [137] '].join('\n'), library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'OOM_CPU', exit_code: 137, confidence: 'medium' });
    expect(r.confidence_reason).toMatch(/exit code 137/);
  });
});

describe('the decision model (issue 13)', () => {
  const tb = (exc: string) => ['Traceback (most recent call last):', '  File "/app/train.py", line 9, in <module>', '    main()', exc];
  it("treats SkyPilot's generic provisioning lines as context: alone they are low confidence, with candidates", () => {
    const r = analyzeText("I 06-03 14:00:03 recovery_strategy.py:329] Failed to launch a cluster with error: sky.exceptions.ResourcesUnavailableError: Failed to acquire resources in all zones in us-east-1 for {AWS(g5.2xlarge)}. )", library, { status: 'STARTING' });
    expect(r).toMatchObject({ category: 'GPU_SOLD_OUT', confidence: 'low' });
    expect(r.candidates[0]).toMatchObject({ category: 'GPU_SOLD_OUT' });
  });

  it("lets the provider's message inside SkyPilot's frame decide", () => {
    const r = analyzeText([
      "W 11-08 06:50:49 instance_utils.py:112] Got return code 'quotaExceeded' in us-central1-a: \"Quota 'SSD_TOTAL_GB' exceeded. Limit: 500.0 in region us-central1\"",
      'W 11-08 06:50:51 cloud_vm_ray_backend.py:2017] sky.exceptions.ResourcesUnavailableError: Failed to acquire resources in us-central1-a for {<Cloud>(cpus=2+)}. ',
    ].join('\n'), library, { status: 'FAILED_NO_RESOURCE' });
    expect(r).toMatchObject({ category: 'QUOTA_EXCEEDED', confidence: 'high', candidates: [] });
  });

  it('blames the first fatal cause, however early, for the consequence it produced', () => {
    const r = analyzeText([progress(10), '(train, pid=1) OSError: [Errno 28] No space left on device', progress(5000, 11), ...tb('RuntimeError: [enforce fail at inline_container.cc:445] . PytorchStreamWriter failed writing file data/176: file write failed').map((l) => `(train, pid=1) ${l}`)].join('\n'), library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'DISK_FULL', confidence: 'medium' });
    expect(r.evidence[0]?.line_number).toBe(11);
  });

  it('does not blame a stock-out that failover got past, nor a succeeded job', () => {
    const failover = ['I 06-03 14:00:03 recovery_strategy.py:329] Failed to launch a cluster with error: sky.exceptions.ResourcesUnavailableError: Failed to acquire resources in all zones in us-east-1 for {AWS(g5.2xlarge)}. )', 'Managed job cluster launched.'];
    const r = analyzeText([...failover, 'The user job failed (JobStatus.FAILED). Please check the logs below.', ...tb('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.')].join('\n'), library, { status: 'FAILED' });
    expect(r.category).toBe('OOM_CUDA');
    const ok = analyzeText([progress(5), '(train, pid=1) CUDA out of memory. Retrying with a smaller batch', '✓ Job finished (status: SUCCEEDED).'].join('\n'), library);
    expect(ok).toMatchObject({ category: 'UNKNOWN', confidence: 'high' });
  });

  it('takes the exit code as evidence over a bare traceback, in the 0.9 setup epilogue too', () => {
    const r = analyzeText([...tb('KeyError: 0').map((l) => `(train, pid=1) ${l}`), 'ERROR: Job 1 failed with return code list: [137] '].join('\n'), library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'OOM_CPU', exit_code: 137, confidence: 'medium' });
    const setup = analyzeText(["(setup pid=7) bash: torchrun: command not found", "ERROR: Job 1's setup failed with return code list: [127]"].join('\n'), library, { status: 'FAILED_SETUP' });
    expect(setup).toMatchObject({ category: 'COMMAND_NOT_FOUND', exit_code: 127 });
  });

  it('follows a chained traceback to its first cause and strips rank prefixes', () => {
    const r = analyzeText([
      ...tb('ValueError: shard 3 is empty').map((l) => `[rank3]: ${l}`),
      '[rank3]: The above exception was the direct cause of the following exception:',
      ...tb('RuntimeError: DataLoader worker exited unexpectedly').map((l) => `[rank3]: ${l}`),
    ].join('\n'), library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'PYTHON_EXCEPTION', exception_type: 'ValueError' });
    expect(r.fingerprint).toBe('PYTHON_EXCEPTION:ValueError: shard <n> is empty');
  });

  it("reads the job's status as evidence: the same missing-credentials line is a bucket problem in a job, a cloud one in prechecks", () => {
    const line = 'botocore.exceptions.NoCredentialsError: Unable to locate credentials';
    expect(analyzeText([progress(5), ...tb(line).map((l) => `(train, pid=1) ${l}`)].join('\n'), library, { status: 'FAILED' })).toMatchObject({ category: 'STORAGE_ACCESS', confidence: 'high' });
    expect(analyzeText(`Retry creating AWS client due to ${line}.`, library, { status: 'FAILED_PRECHECKS' })).toMatchObject({ category: 'CLOUD_CREDENTIALS', confidence: 'high' });
    // Prechecks that failed with nothing recognisable: credentials are the likely cause, said with low confidence.
    expect(analyzeText('Launching managed job train from jobs controller...', library, { status: 'FAILED_PRECHECKS' })).toMatchObject({ category: 'CLOUD_CREDENTIALS', confidence: 'low' });
  });

  it('never says high for a message that reads the same for two causes (a moved and a private dataset)', () => {
    const r = analyzeText([progress(5), ...tb("datasets.exceptions.DatasetNotFoundError: Dataset 'org/data' doesn't exist on the Hub or cannot be accessed.").map((l) => `(train, pid=1) ${l}`)].join('\n'), library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'DATA_MISSING', confidence: 'medium' });
    expect(r.confidence_reason).toMatch(/more than one cause/);
    expect(r.candidates[0]).toMatchObject({ category: 'DATA_MISSING' });
  });

  it('does not blame a setup step guarded by `|| true` (bash trace `+ true`) for a later failure', () => {
    const guarded = ['+ pip install flash-attn --no-build-isolation', 'error: subprocess-exited-with-error', '      ModuleNotFoundError: No module named \'packaging\'', 'error: metadata-generation-failed', '+ true'].map((l) => `(setup pid=7) ${l}`);
    const later = analyzeText([...guarded, progress(20), ...OOM.split('\n').map((l) => `(train, pid=1) ${l}`), 'ERROR: Job 1 failed with return code list: [1] '].join('\n'), library, { status: 'FAILED' });
    expect(later).toMatchObject({ category: 'OOM_CUDA', confidence: 'high' });
    expect(later.seen.find((s) => s.category === 'SETUP_FAILURE')).toMatchObject({ live: false });
    // Alone, a guarded failure is only a low-confidence candidate, never the confident cause.
    expect(analyzeText([...guarded, progress(20), 'ERROR: Job 1 failed with return code list: [1] '].join('\n'), library, { status: 'FAILED' })).toMatchObject({ confidence: 'low' });
    // The same failure without the guard is the live cause of a failed setup.
    const unguarded = analyzeText([...guarded.slice(0, -1), "ERROR: Job 1's setup failed. Failed workers: (pid=7, returncode=1)."].join('\n'), library, { status: 'FAILED_SETUP' });
    expect(unguarded).toMatchObject({ category: 'SETUP_FAILURE', confidence: 'high' });
  });

  it('takes the exit code as evidence even when a line matched: 124 after a NaN guard is not a confident divergence', () => {
    const nan = '(train, pid=1) FloatingPointError: Loss became infinite or NaN at iteration=4411!';
    expect(analyzeText([progress(5), nan, 'ERROR: Job 1 failed with return code list: [1] '].join('\n'), library, { status: 'FAILED' })).toMatchObject({ category: 'TRAINING_DIVERGENCE', confidence: 'high' });
    const timedOut = analyzeText([progress(5), nan, 'ERROR: Job 1 failed with return code list: [124] '].join('\n'), library, { status: 'FAILED' });
    expect(timedOut).toMatchObject({ category: 'TRAINING_DIVERGENCE', confidence: 'medium', exit_code: 124 });
    expect(timedOut.confidence_reason).toMatch(/exit code 124 is what TIMEOUT ends with/);
    // SIGALRM's 142 (an alarm() limit) is a timeout as much as coreutils' 124.
    expect(analyzeText([progress(5), 'ERROR: Job 1 failed with return code list: [142] '].join('\n'), library, { status: 'FAILED' })).toMatchObject({ category: 'TIMEOUT', exit_code: 142, confidence: 'medium' });
    // The agent gets the exit code's category as a candidate, with SkyPilot's epilogue line as its evidence.
    expect(timedOut.candidates.map((c) => c.category)).toEqual(['TRAINING_DIVERGENCE', 'TIMEOUT']);
    expect(timedOut.candidates[1]).toMatchObject({ line_number: 7, line: expect.stringContaining('return code list: [124]') });
  });

  it('does not take a connection error that names the model hub for an unreachable MLflow server', () => {
    const r = analyzeText(`(train, pid=1) '(MaxRetryError("HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded with url: /org/model/resolve/main/config.json (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f25703e0580>, 'Connection to huggingface.co timed out. (connect timeout=10)'))"), '(Request ID: 3e6c)')' thrown while requesting HEAD https://huggingface.co/org/model/resolve/main/config.json`, library, { status: 'FAILED' });
    expect(r.category).toBe('MODEL_HUB_ACCESS');
    expect(r.seen.map((s) => s.category)).not.toContain('MLFLOW_UNREACHABLE');
  });
});
