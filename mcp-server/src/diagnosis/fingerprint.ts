// What makes two failures "identical": the category plus the evidence line with everything that varies
// between runs of the same bug masked (numbers, hex ids, paths, times, hosts, Ray prefixes).

/** `(train, pid=1234) msg`, `(head, rank=0, pid=5634) msg`, `(setup pid=2383) msg` → `msg` */
export const stripRayPrefix = (line: string): string => line.replace(/^\([^()]*\bpid=\d+[^()]*\)\s?/, '');

/** torch.distributed's `[rank3]:` and DeepSpeed's `worker-5: [rank22]:` → what the rank printed. */
export const stripRankPrefix = (line: string): string => line.replace(/^(?:[\w.-]+: )?\[rank\d+\]:\s?/, '');

export function normalizeEvidence(line: string): string {
  return stripRankPrefix(stripRayPrefix(line))
    .trim()
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b/g, '<time>')
    .replace(/\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>')
    .replace(/\b(?:ip-\d+-\d+-\d+-\d+|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?\b/g, '<host>')
    .replace(/(?:\/[\w.@+-]+){2,}\/?/g, '<path>')
    .replace(/\b0x[0-9a-fA-F]+\b/g, '<hex>')
    .replace(/\b[0-9a-f]{7,}\b/g, '<hex>')
    .replace(/\d+(?:\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ');
}

export const fingerprintOf = (category: string, evidenceLine: string | null): string =>
  `${category}:${evidenceLine === null ? '' : normalizeEvidence(evidenceLine)}`;
