import { chmodSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER_HUB_AUTH_KEY, dockerConfigPath, findCredentials } from '../../mcp-server/src/registry/docker-credentials.js';
import { DOCKER_HUB } from '../../mcp-server/src/registry/image-reference.js';
import { RegistryError } from '../../mcp-server/src/registry/registry-errors.js';
import { tempDir } from '../helpers/paths.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A config dir with `config` and, optionally, fake `docker-credential-<name>` scripts on PATH. */
function world(config: object | string, helpers: Record<string, string> = {}) {
  const dir = tempDir('docker-config');
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  for (const [name, script] of Object.entries(helpers)) {
    writeFileSync(join(dir, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, `docker-credential-${name}`), 0o755);
  }
  return { dir, options: { env: { ...process.env, DOCKER_CONFIG: dir, PATH: `${dir}:${process.env.PATH ?? ''}` } } };
}

describe('dockerConfigPath', () => {
  it('is $DOCKER_CONFIG/config.json, else ~/.docker/config.json', () => {
    expect(dockerConfigPath({ env: { DOCKER_CONFIG: '/x' } })).toBe('/x/config.json');
    expect(dockerConfigPath({ env: {} })).toBe(join(homedir(), '.docker', 'config.json'));
    expect(dockerConfigPath({ configDir: '/y', env: { DOCKER_CONFIG: '/x' } })).toBe('/y/config.json');
  });
});

describe('findCredentials', () => {
  it('decodes auths[host].auth, also under a URL-shaped key', async () => {
    const { dir, options } = world({ auths: { 'https://reg.example.com/v2/': { auth: b64('bob:pa:ss') } } });
    const { credentials, configPath } = await findCredentials('reg.example.com', 'ref', options);
    expect(configPath).toBe(join(dir, 'config.json'));
    expect(credentials).toEqual({ kind: 'basic', username: 'bob', password: 'pa:ss', source: `auths["https://reg.example.com/v2/"] in ${configPath}` });
  });

  it("finds Docker Hub under docker login's key", async () => {
    const { options } = world({ auths: { [DOCKER_HUB_AUTH_KEY]: { auth: b64('hubuser:tok') }, 'reg.example.com': { auth: b64('x:y') } } });
    expect((await findCredentials(DOCKER_HUB, 'ref', options)).credentials).toMatchObject({ username: 'hubuser', password: 'tok' });
  });

  it('prefers identitytoken', async () => {
    const { options } = world({ auths: { 'reg.example.com': { auth: b64('u:p'), identitytoken: 'refresh' } } });
    expect((await findCredentials('reg.example.com', 'ref', options)).credentials).toMatchObject({ kind: 'identity_token', token: 'refresh' });
  });

  it('returns null with no config file, or no entry for the host', async () => {
    const empty = tempDir('docker-config');
    expect((await findCredentials('reg.example.com', 'ref', { configDir: empty })).credentials).toBeNull();
    const { options } = world({ auths: { 'other.example.com': { auth: b64('u:p') } } });
    expect((await findCredentials('reg.example.com', 'ref', options)).credentials).toBeNull();
  });

  it('asks credHelpers[host] first, with the server URL on stdin', async () => {
    const { options } = world(
      { credHelpers: { 'reg.example.com': 'fake' }, credsStore: 'never', auths: { 'reg.example.com': {} } },
      { fake: 'read url; echo "{\\"ServerURL\\":\\"$url\\",\\"Username\\":\\"u-$url\\",\\"Secret\\":\\"s\\"}"' },
    );
    expect((await findCredentials('reg.example.com', 'ref', options)).credentials).toEqual({
      kind: 'basic',
      username: 'u-reg.example.com',
      password: 's',
      source: 'credential helper docker-credential-fake',
    });
  });

  it('uses credsStore for every registry; `<token>` users are identity tokens; "not found" falls back to auths', async () => {
    const { options } = world(
      { credsStore: 'store', auths: { 'plain.example.com': { auth: b64('a:b') } } },
      { store: 'read url; [ "$url" = "https://index.docker.io/v1/" ] || { echo "credentials not found in native keychain"; exit 1; }; echo \'{"Username":"<token>","Secret":"idt"}\'' },
    );
    expect((await findCredentials(DOCKER_HUB, 'ref', options)).credentials).toMatchObject({ kind: 'identity_token', token: 'idt' });
    expect((await findCredentials('plain.example.com', 'ref', options)).credentials).toMatchObject({ kind: 'basic', username: 'a' });
  });

  it.each([
    ['a helper that is not installed', { credsStore: 'absent-helper-xyz' }, {}, 'not installed'],
    ['a helper that fails', { credsStore: 'broken' }, { broken: 'echo boom >&2; exit 3' }, 'exit 3: boom'],
    ['a helper printing garbage', { credsStore: 'garbage' }, { garbage: 'echo hello' }, 'other than JSON'],
    ['an auth that is not user:password', { auths: { 'reg.example.com': { auth: b64('nocolon') } } }, {}, 'not base64 of user:password'],
  ])('%s is a credentials_unreadable error', async (_name, config, helpers, needle) => {
    const { options } = world(config, helpers);
    const e = await findCredentials('reg.example.com', 'docker:reg.example.com/x:y', options).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RegistryError);
    expect((e as RegistryError).kind).toBe('credentials_unreadable');
    expect((e as RegistryError).message).toContain(needle);
  });

  it('a config file that is not JSON names the file', async () => {
    const { dir, options } = world('{not json');
    await expect(findCredentials('reg.example.com', 'ref', options)).rejects.toThrow(`Docker config ${join(dir, 'config.json')} is not valid JSON`);
  });
});
