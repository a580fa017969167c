// The vocabulary fallback (diagnosis/vocabulary-fallback.ts): a category's general wording names a likely cause
// only below every needle, never with high confidence, and never from SkyPilot's wrapper lines, pip/tqdm chatter,
// a traceback's frames and paths, warnings or guarded steps.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText, LogAnalyzer } from '../../mcp-server/src/diagnosis/analyze-log.js';
import { loadPatternLibrary, PatternLibrarySchema } from '../../mcp-server/src/diagnosis/pattern-library.js';
import { guessFromVocabulary, keepTail, readableLines, TAIL_BYTES, tailLines, VOCABULARY_REASON } from '../../mcp-server/src/diagnosis/vocabulary-fallback.js';
import { parse } from 'yaml';

const library = loadPatternLibrary();
const noVocabulary = { ...library, vocabulary: [] };

// The frame every job log has (the 0.10+ job-log header and epilogue): "job will not be killed" is not an OOM.
const job = (lines: string[], code = 1) =>
  [
    '├── Waiting for task resources on 1 node.',
    '└── Job started. Streaming logs... (Ctrl-C to exit log streaming; job will not be killed)',
    '(setup pid=77) Collecting nvidia-nccl-cu12==2.21.5',
    ...Array.from({ length: 30 }, (_, i) => `(train, pid=77) epoch 1 step ${i * 10}/900 | loss 0.5${i % 10} | lr 3.0e-04 | 1204 samples/s`),
    ...lines.map((l) => `(train, pid=77) ${l}`),
    `ERROR: Job 1 failed with return code list: [${code}] `,
    '✓ Job finished (status: FAILED).',
  ].join('\n') + '\n';

const traceback = (message: string, frames = ['  File "/opt/conda/lib/python3.10/site-packages/torch/cuda/memory.py", line 12, in empty_cache', '    oom_guard(memory_limit)']) =>
  ['Traceback (most recent call last):', '  File "/app/train.py", line 88, in <module>', '    main()', ...frames, message];

describe('the vocabulary fallback', () => {
  it('names the category a bare traceback speaks of instead of PYTHON_EXCEPTION, below high', () => {
    const log = job(traceback('RuntimeError: DataLoader worker ran out of memory while decoding batch 812'));
    expect(analyzeText(log, noVocabulary).category).toBe('PYTHON_EXCEPTION');
    const r = analyzeText(log, library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'OOM_CPU' });
    expect(r.confidence).not.toBe('high');
    expect(r.confidence_reason.startsWith(VOCABULARY_REASON)).toBe(true);
    expect(r.evidence[0]?.line).toContain('ran out of memory');
    // The agent still sees the alternatives.
    expect(r.candidates.map((c) => c.category)).toContain('OOM_CPU');
  });

  it("reads neither SkyPilot's wrapper lines nor a traceback's frames and paths: a plain bug stays PYTHON_EXCEPTION", () => {
    const r = analyzeText(job(traceback('RuntimeError: mat1 and mat2 shapes cannot be multiplied (389x10 and 8x128)')), library, { status: 'FAILED' });
    expect(r.category).toBe('PYTHON_EXCEPTION');
    expect(r.confidence_reason.startsWith(VOCABULARY_REASON)).toBe(false);
  });

  it('stays below every needle: a specific match wins whatever words surround it', () => {
    const r = analyzeText(job(['Saving checkpoint to bucket s3://acme/ckpt ...', 'OSError: [Errno 28] No space left on device']), library, { status: 'FAILED' });
    expect(r).toMatchObject({ category: 'DISK_FULL', confidence: 'high' });
  });

  it('stays below the exit code: 124 is a timeout even when the traceback speaks of GPU memory', () => {
    const r = analyzeText(job(traceback('RuntimeError: gpu memory watermark check failed'), 124), library, { status: 'FAILED' });
    expect(r.category).toBe('TIMEOUT');
  });

  it('only guesses categories that fit the status, and is never high', () => {
    const controller = (status: string, line: string) =>
      [`I 06-03 14:00:13 controller.py:192] Submitted managed job 1 (task: 0, name: 'train')`, 'I 06-03 14:00:14 controller.py:199] Started monitoring.', line, 'E 06-03 14:00:25 controller.py:2563] Provision prechecks failed for task 0', ''].join('\n');
    const creds = analyzeText(controller('FAILED_PRECHECKS', 'botocore: the credentials for profile ml-prod were rejected by the bucket policy service'), library, { status: 'FAILED_PRECHECKS' });
    expect(creds.category).toBe('CLOUD_CREDENTIALS');
    const bucket = analyzeText(job(traceback('PermissionError: credentials rejected while listing bucket s3://acme-data/train')), library, { status: 'FAILED' });
    expect(bucket.category).toBe('STORAGE_ACCESS');
    for (const r of [creds, bucket]) expect(r.confidence).not.toBe('high');
  });

  it("reads SkyPilot's failure_reason as line 0 when its words are all there is", () => {
    const log = job(traceback('RuntimeError: step 812 failed'));
    const r = analyzeText(log, library, { status: 'FAILED', failure_reason: 'Job exited with exit code 1: the node reported uncorrectable ECC errors on GPU 3' });
    expect(r).toMatchObject({ category: 'GPU_HARDWARE', evidence: [{ line_number: 0 }] });
    expect(r.confidence).not.toBe('high');
    // ...and a generic reason adds nothing.
    expect(analyzeText(log, library, { status: 'FAILED', failure_reason: 'Job exited with exit code 1 (user program failure).' }).category).toBe('PYTHON_EXCEPTION');
  });

  it('does not read a step that a `|| true` guard covered, nor warnings', () => {
    const log = job(['pip: could not install apex, skipping', '+ true', 'UserWarning: ran out of memory in the tokenizer cache; falling back to disk', ...traceback('ValueError: expected 3 channels, got 4')]);
    expect(analyzeText(log, library, { status: 'FAILED' }).category).toBe('PYTHON_EXCEPTION');
  });

  it('a succeeded job blames nothing, whatever its words', () => {
    const log = job(['warning-free note: spot capacity was low in us-east-1a earlier']).replace('status: FAILED', 'status: SUCCEEDED').replace(/ERROR: Job 1 failed.*\n/, '');
    expect(analyzeText(log, library).category).toBe('UNKNOWN');
  });

  it('reads the end of a log fed in pieces, keeping at most TAIL_BYTES whole lines', () => {
    const analyzer = new LogAnalyzer(library);
    const filler = `${'(train, pid=77) epoch 2 step 10/900 | loss 0.51 | lr 3.0e-04 | 1204 samples/s\n'.repeat(4000)}`;
    for (let i = 0; i < 40; i++) analyzer.write(filler); // ~12 MB, several chunks
    analyzer.write('(train, pid=77) RuntimeError: NCCL communicator hit a remote collective operation error on rank 3\n');
    analyzer.write('ERROR: Job 1 failed with return code list: [1] \n');
    expect(analyzer.finish({ status: 'FAILED' }).category).toBe('NCCL_ERROR');

    const tail = keepTail(Buffer.from('a\nb\n'), Buffer.from(`${'x'.repeat(TAIL_BYTES)}\nlast line\n`));
    expect(tail.toString()).toBe('last line\n');
    expect(tailLines(tail, 500)).toEqual([{ line_number: 500, text: 'last line' }]);
  });

  it('ranks by weighted terms: two parts outweigh one, the exception line counts twice', () => {
    const lines = [
      { line_number: 1, text: 'allocator: out of memory on cuda device 0' },
      { line_number: 2, text: 'PermissionError: access to bucket s3://x denied by storage' },
    ];
    // 4 against 4 (s3://, bucket, storage + denied): the higher priority wins the tie...
    expect(guessFromVocabulary(readableLines(lines, library), library)?.category.id).toBe('OOM_CUDA');
    // ...unless the other words are the exception's own message.
    const exc = guessFromVocabulary(readableLines(lines, library), library, { exceptionLine: 2 });
    expect(exc).toMatchObject({ category: { id: 'STORAGE_ACCESS' }, score: 8, line: { line_number: 2 } });
  });

  it("drops file paths but keeps URLs and TensorFlow's device names, whose segments hold a colon", () => {
    const read = (text: string) => readableLines([{ line_number: 1, text }], library)[0]?.text ?? '';
    expect(read('E at /opt/conda/lib/python3.10/site-packages/torch/cuda/memory.py:12] oops')).not.toContain('memory');
    expect(read('reading s3://bucket/oom_logs/x failed')).toContain('s3://bucket/oom_logs/x');
    expect(read('OOM when allocating tensor on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc')).toContain('device:GPU:0');
  });

  it('the shipped PYTHON_EXCEPTION sample (a code bug) gives the vocabulary nothing to guess', () => {
    const dir = new URL('../../mcp-server/src/simulator/failure-logs/', import.meta.url);
    const text = readFileSync(new URL('PYTHON_EXCEPTION.log', dir), 'utf8');
    const lines = text.split('\n').map((t, i) => ({ line_number: i + 1, text: t }));
    expect(guessFromVocabulary(readableLines(lines, library), library)).toBeNull();
  });
});

describe('the vocabulary section of the pattern library', () => {
  const raw = parse(readFileSync(join(import.meta.dirname, '../../instructions/failure-patterns.yaml'), 'utf8')) as Record<string, unknown>;
  it('names only categories the fallback may guess, each term once', () => {
    const bad = (vocabulary: unknown) => PatternLibrarySchema.safeParse({ ...raw, vocabulary }).success;
    expect(bad({ OOM_CPU: ['out of memory'] })).toBe(true);
    expect(bad({ NOT_A_CATEGORY: ['out of memory'] })).toBe(false);
    expect(bad({ PYTHON_EXCEPTION: ['error'] })).toBe(false);
    expect(bad({ OOM_CPU: ['out of memory', 'Out of Memory'] })).toBe(false);
    expect(bad({ OOM_CPU: ['out of memory + a'] })).toBe(false);
  });

  it('ships a vocabulary for most categories', () => {
    expect(library.vocabulary.length).toBeGreaterThan(20);
    for (const e of library.vocabulary) expect(library.byName.get(e.category.id)).toBe(e.category);
  });
});
