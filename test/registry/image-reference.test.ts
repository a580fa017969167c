import { describe, expect, it } from 'vitest';
import { formatImageReference, parseImageReference, withDigest } from '../../mcp-server/src/registry/image-reference.js';
import { RegistryError } from '../../mcp-server/src/registry/registry-errors.js';

const D = `sha256:${'ab'.repeat(32)}`;
const parse = (s: string) => {
  const r = parseImageReference(s);
  return [r.registry, r.repository, r.tag, r.digest];
};

describe('parseImageReference (Docker normalisation)', () => {
  it.each([
    ['ubuntu', ['registry-1.docker.io', 'library/ubuntu', 'latest', null]],
    ['docker:ubuntu:22.04', ['registry-1.docker.io', 'library/ubuntu', '22.04', null]],
    ['pytorch/pytorch:2.3.0-cuda12.1', ['registry-1.docker.io', 'pytorch/pytorch', '2.3.0-cuda12.1', null]],
    ['docker.io/ubuntu', ['registry-1.docker.io', 'library/ubuntu', 'latest', null]],
    ['index.docker.io/library/ubuntu:x', ['registry-1.docker.io', 'library/ubuntu', 'x', null]],
    ['ghcr.io/org/team/train:v1', ['ghcr.io', 'org/team/train', 'v1', null]],
    ['localhost/app', ['localhost', 'app', 'latest', null]],
    ['localhost:5000/app:dev', ['localhost:5000', 'app', 'dev', null]],
    ['127.0.0.1:5000/a/b', ['127.0.0.1:5000', 'a/b', 'latest', null]],
    ['[::1]:5000/app:t', ['[::1]:5000', 'app', 't', null]],
    // The first segment is a Docker Hub user, not a host: no '.', ':' and not localhost.
    ['myuser/app', ['registry-1.docker.io', 'myuser/app', 'latest', null]],
    ['my-registry/app', ['registry-1.docker.io', 'my-registry/app', 'latest', null]],
    // No slash: `localhost:5000` is repository `localhost` with tag `5000`, as in Docker.
    ['localhost:5000', ['registry-1.docker.io', 'library/localhost', '5000', null]],
    [`ubuntu@${D}`, ['registry-1.docker.io', 'library/ubuntu', null, D]],
    [`docker:reg.example.com:443/a/b:v2@${D}`, ['reg.example.com:443', 'a/b', 'v2', D]],
    ['reg.internal-1/e.f_g__h-i', ['reg.internal-1', 'e.f_g__h-i', 'latest', null]],
    ['user/a.b__c--d', ['registry-1.docker.io', 'user/a.b__c--d', 'latest', null]],
  ])('%s', (input, expected) => {
    expect(parse(input)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['docker:', 'empty'],
    ['Ubuntu', "component 'Ubuntu'"],
    ['ghcr.io/', 'repository name is missing'],
    ['app:', "tag ''"],
    ['app:-x', "tag '-x'"],
    ['app@sha256:abc', 'digest'],
    ['app@md5:' + 'a'.repeat(32), 'digest'],
    ['a//b', "component ''"],
    ['a/-b', "component '-b'"],
    ['bad_host:5000/x', "registry 'bad_host:5000'"],
    ['app:' + 'x'.repeat(129), 'tag'],
  ])('rejects %j naming the problem', (input, needle) => {
    const e = (() => {
      try {
        parseImageReference(input);
      } catch (err) {
        return err as RegistryError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(RegistryError);
    expect(e.kind).toBe('invalid_reference');
    expect(e.message).toContain(`'${input}'`);
    expect(e.message).toContain(needle);
  });
});

describe('formatting', () => {
  it('round-trips in the short form people type', () => {
    expect(formatImageReference(parseImageReference('ubuntu'))).toBe('docker:ubuntu:latest');
    expect(formatImageReference(parseImageReference('docker.io/library/ubuntu:22.04'))).toBe('docker:ubuntu:22.04');
    expect(formatImageReference(parseImageReference('pytorch/pytorch'))).toBe('docker:pytorch/pytorch:latest');
    expect(formatImageReference(parseImageReference('localhost:5000/a/b:c'))).toBe('docker:localhost:5000/a/b:c');
    // `library/x/y` is not an official image: keep the prefix.
    expect(formatImageReference(parseImageReference('library/x/y'))).toBe('docker:library/x/y:latest');
  });

  it('withDigest pins the reference and drops the tag', () => {
    expect(withDigest('docker:ghcr.io/org/train:v1', D)).toBe(`docker:ghcr.io/org/train@${D}`);
    expect(withDigest('ubuntu:22.04', D)).toBe(`docker:ubuntu@${D}`);
    expect(withDigest(parseImageReference(`127.0.0.1:5000/x:y@sha256:${'cd'.repeat(32)}`), D)).toBe(`docker:127.0.0.1:5000/x@${D}`);
    expect(parseImageReference(withDigest('a/b:c', D))).toEqual({ registry: 'registry-1.docker.io', repository: 'a/b', tag: null, digest: D });
    expect(() => withDigest('a', 'sha256:nope')).toThrow(/not a sha256 digest/);
  });
});
