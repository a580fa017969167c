// Required environment variables: names only, never values.
import { describe, expect, it } from 'vitest';
import { checkEnvVars } from '../../mcp-server/src/preflight/env-vars.js';

const SECRET = 'sk-live-4f3e2d1c0b9a-DO-NOT-PRINT';

describe('env_vars', () => {
  it('passes when every name is set, naming them but never showing a value', async () => {
    const r = await checkEnvVars({ required_env: ['HF_TOKEN', 'DVC_S3_KEY'] }, { env: { HF_TOKEN: SECRET, DVC_S3_KEY: SECRET } });
    expect(r).toMatchObject({ name: 'env_vars', status: 'pass', fix_hint: null, data: { set: ['HF_TOKEN', 'DVC_S3_KEY'], missing: [] } });
    expect(r.detail).toContain('HF_TOKEN');
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('fails naming the unset and the empty ones, still without any value', async () => {
    const r = await checkEnvVars(
      { required_env: ['HF_TOKEN', 'GITHUB_TOKEN', 'EMPTY'] },
      { env: { HF_TOKEN: SECRET, EMPTY: '' } },
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toBe('2 of 3 not set or empty: GITHUB_TOKEN, EMPTY');
    expect(r.fix_hint).toContain('GITHUB_TOKEN, EMPTY');
    expect(r.data).toEqual({ set: ['HF_TOKEN'], missing: ['GITHUB_TOKEN', 'EMPTY'] });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('is skipped when no names are required, and fails on something that is not a name', async () => {
    expect((await checkEnvVars({}, { env: {} })).status).toBe('skipped');
    const bad = await checkEnvVars({ required_env: ['OK', 'NOT=A_NAME'] }, { env: { OK: '1' } });
    expect(bad.status).toBe('fail');
    expect(bad.detail).toContain('"NOT=A_NAME"');
  });
});
