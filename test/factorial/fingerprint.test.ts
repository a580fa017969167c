import { describe, expect, it } from 'vitest';
import { normalizeEvidence } from '../../mcp-server/src/diagnosis/fingerprint.js';

describe('failure fingerprint', () => {
  it('makes the same error on different jobs identical: pids, sizes, hosts, paths, times masked', () => {
    const a = '(train, pid=2383) torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.50 GiB. GPU 0 has a total capacity of 79.11 GiB';
    const b = '(head, rank=0, pid=9911) torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.25 GiB. GPU 3 has a total capacity of 79.11 GiB';
    expect(normalizeEvidence(a)).toBe(normalizeEvidence(b));
    expect(normalizeEvidence('2026-11-21 10:00:01 ERROR /data/fold_1/img_0042.nii.gz on ip-10-0-0-12: missing'))
      .toBe('<time> ERROR <path> on <host>: missing');
  });
});
