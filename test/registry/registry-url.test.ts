import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isSafeForCredentials, registryBaseUrl } from '../../mcp-server/src/registry/registry-url.js';

describe('plain http only on loopback', () => {
  it.each(['127.0.0.1:5000', '127.1.2.3', 'localhost', 'localhost:5000', '[::1]', '[::1]:5000'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(registryBaseUrl(host)).toBe(`http://${host}`);
  });

  it.each(['ghcr.io', '127.0.0.1.nip.io:5000', 'localhost.example.com', '10.0.0.1:5000', '[::2]:5000', '128.0.0.1', 'registry-1.docker.io'])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
      expect(registryBaseUrl(host)).toBe(`https://${host}`);
    },
  );

  it('sends credentials over https anywhere, over http only to loopback', () => {
    expect(isSafeForCredentials(new URL('https://auth.example.com/token'))).toBe(true);
    expect(isSafeForCredentials(new URL('http://127.0.0.1:9000/token'))).toBe(true);
    expect(isSafeForCredentials(new URL('http://auth.example.com/token'))).toBe(false);
    expect(isSafeForCredentials(new URL('ftp://127.0.0.1/token'))).toBe(false);
  });
});
