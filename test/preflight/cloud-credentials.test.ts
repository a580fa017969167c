// `sky check <cloud>` through the SkyPilot adapter, against the real simulator executable.
import { describe, expect, it } from 'vitest';
import { checkCloudCredentials, parseSkyCheck } from '../../mcp-server/src/preflight/cloud-credentials.js';
import { SkyCli } from '../../mcp-server/src/sky/sky-cli.js';
import { simSky } from './preflight-fixtures.js';

describe('cloud_credentials against sky-sim', () => {
  it('passes when the cloud line says enabled', async () => {
    const r = await checkCloudCredentials({ cloud: 'aws' }, { sky: simSky('aws,gcp').sky });
    expect(r).toMatchObject({ name: 'cloud_credentials', status: 'pass', fix_hint: null, data: { cloud: 'AWS' } });
    expect(r.detail).toContain('AWS is enabled');
    expect(r.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('fails with the reason and the command SkyPilot prints when the cloud is disabled', async () => {
    const r = await checkCloudCredentials({ cloud: 'aws' }, { sky: simSky('gcp').sky });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('AWS is disabled');
    expect(r.detail).toContain('AWS credentials are not set');
    expect(r.fix_hint).toContain('$ aws configure');
    expect(r.fix_hint).toContain('rerun `sky check aws`');
  });

  it('matches cloud names case-insensitively and by alias (k8s → Kubernetes)', async () => {
    expect((await checkCloudCredentials({ cloud: 'GCP' }, { sky: simSky('gcp').sky })).status).toBe('pass');
    const k8s = await checkCloudCredentials({ cloud: 'k8s' }, { sky: simSky('aws').sky });
    expect(k8s.status).toBe('fail');
    expect(k8s.detail).toContain('Kubernetes is disabled');
    expect(k8s.detail).toContain('~/.kube/config does not exist');
  });

  it('without a cloud: passes when any infra is enabled, fails when none is', async () => {
    const some = await checkCloudCredentials({}, { sky: simSky('lambda,runpod').sky });
    expect(some.status).toBe('pass');
    expect(some.data).toEqual({ enabled: ['Lambda', 'RunPod'] });
    const none = await checkCloudCredentials({}, { sky: simSky('').sky });
    expect(none.status).toBe('fail');
    expect(none.detail).toContain('no enabled infra');
  });

  it('fails with an install hint when `sky` cannot be run', async () => {
    const sky = new SkyCli({ bin: '/nonexistent/sky', retries: 0 });
    const r = await checkCloudCredentials({ cloud: 'aws' }, { sky });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('`sky check aws` failed');
    expect(r.fix_hint).toContain('install SkyPilot');
  });
});

describe('parseSkyCheck', () => {
  it('reads the verbatim SkyPilot format, Hint lines of enabled clouds and multi-line reasons', () => {
    const text = [
      'Checking credentials to enable infra for SkyPilot.',
      '  AWS: enabled [compute, storage]',
      '    Hint [compute, storage]: AWS SSO is set. ...',
      '  Azure: disabled',
      '    Reason [compute, storage]: ~/.azure/msal_token_cache.json does not exist. Run the following commands:',
      '      $ az login',
      '      ...',
      '',
      '🎉 Enabled infra 🎉',
      '  AWS [compute, storage]',
    ].join('\n');
    expect(parseSkyCheck(text)).toEqual([
      { cloud: 'AWS', enabled: true, reason: null },
      { cloud: 'Azure', enabled: false, reason: '~/.azure/msal_token_cache.json does not exist. Run the following commands: $ az login' },
    ]);
  });
});
