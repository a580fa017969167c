import { describe, expect, it } from 'vitest';
import { parseAuthChallenge } from '../../mcp-server/src/registry/auth-challenge.js';

describe('parseAuthChallenge', () => {
  it("reads Docker Hub's Bearer challenge", () => {
    expect(
      parseAuthChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"'),
    ).toEqual({ scheme: 'bearer', realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' });
  });

  it('keeps commas inside quotes, unescapes, accepts bare tokens and any case', () => {
    expect(parseAuthChallenge('bearer  realm="https://a/t?x=1,2" , service=svc, scope="repository:a:pull,push", error="insufficient_scope"')).toEqual({
      scheme: 'bearer',
      realm: 'https://a/t?x=1,2',
      service: 'svc',
      scope: 'repository:a:pull,push',
    });
    expect(parseAuthChallenge('Basic realm="say \\"hi\\""')).toEqual({ scheme: 'basic', realm: 'say "hi"' });
    expect(parseAuthChallenge('Basic')).toEqual({ scheme: 'basic', realm: undefined });
  });

  it('is null for no header, an unknown scheme, or Bearer without a realm', () => {
    expect(parseAuthChallenge(null)).toBeNull();
    expect(parseAuthChallenge('')).toBeNull();
    expect(parseAuthChallenge('Negotiate abc')).toBeNull();
    expect(parseAuthChallenge('Bearer service="x"')).toBeNull();
  });
});
