// Free disk space from the real `df -Pk`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDiskSpace, parseDfOutput } from '../../mcp-server/src/preflight/disk-space.js';
import { tempDir } from '../helpers/paths.js';

describe('disk_space with the real df', () => {
  it('passes with a threshold of 0 and reports the free space and mount point', async () => {
    const r = await checkDiskSpace({ dir: tempDir('preflight-disk'), min_free_disk_gb: 0 });
    expect(r).toMatchObject({ name: 'disk_space', status: 'pass', fix_hint: null });
    expect(r.data?.free_gb).toBeGreaterThan(0);
    expect(typeof r.data?.mounted_on).toBe('string');
  });

  it('fails below an absurd threshold, saying how much to free', async () => {
    const r = await checkDiskSpace({ dir: tempDir('preflight-disk'), min_free_disk_gb: 1e9 });
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^only [\d.]+ GB free on .*; at least 1000000000 GB needed$/);
    expect(r.fix_hint).toContain('min_free_disk_gb');
  });

  it('measures the nearest existing ancestor of an outputs/ dir that does not exist yet', async () => {
    const parent = tempDir('preflight-disk');
    const r = await checkDiskSpace({ dir: join(parent, 'outputs', 'not', 'yet'), min_free_disk_gb: 0 });
    expect(r.status).toBe('pass');
    expect(r.data?.dir).toBe(parent);
  });
});

describe('parseDfOutput', () => {
  it('reads the POSIX line, mount points with spaces included', () => {
    const text = 'Filesystem     1024-blocks     Used Available Capacity Mounted on\n/dev/disk1s1   976490576 512000000 464490576      53% /Volumes/My Disk\n';
    expect(parseDfOutput(text)).toEqual({ filesystem: '/dev/disk1s1', available_kib: 464490576, capacity_percent: 53, mounted_on: '/Volumes/My Disk' });
    expect(() => parseDfOutput('garbage')).toThrow(/unexpected df output/);
  });
});
