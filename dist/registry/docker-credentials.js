// Registry credentials where `docker login` put them: the Docker config file's `auths`, or the
// credential helper it names (`credHelpers` per registry, `credsStore` for all). Secrets stay in the
// returned object; messages only ever name where they came from.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { DOCKER_HUB } from './image-reference.js';
import { RegistryError } from './registry-errors.js';
/** The key `docker login` uses for Docker Hub in `auths`, `credHelpers` and credential helpers. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const HUB_HOSTS = new Set(['index.docker.io', 'docker.io', DOCKER_HUB]);
export function dockerConfigPath(options = {}) {
    const env = options.env ?? process.env;
    return join(options.configDir ?? (env.DOCKER_CONFIG || join(homedir(), '.docker')), 'config.json');
}
/** The server URL `docker login` stores a registry's credentials under. */
export const serverUrlFor = (registry) => (registry === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry);
/** Docker's ConvertToHostname: keys may be written `https://host/v1/` as well as `host`. */
function keyMatches(key, registry) {
    const host = key.replace(/^https?:\/\//, '').split('/')[0] ?? '';
    return registry === DOCKER_HUB ? HUB_HOSTS.has(host) : host === registry;
}
function entryFor(map, registry) {
    if (!map)
        return undefined;
    const exact = map[serverUrlFor(registry)];
    if (exact !== undefined)
        return [serverUrlFor(registry), exact];
    return Object.entries(map).find(([key]) => keyMatches(key, registry));
}
function readConfig(path, reference) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return {};
        throw new RegistryError('credentials_unreadable', `cannot read Docker config ${path}: ${e.message}`, reference);
    }
    try {
        const parsed = JSON.parse(text);
        return parsed !== null && typeof parsed === 'object' ? parsed : {};
    }
    catch {
        throw new RegistryError('credentials_unreadable', `Docker config ${path} is not valid JSON`, reference);
    }
}
/** Credentials for `registry`, or null when `docker login` was never run for it. `reference` is only for error messages. */
export async function findCredentials(registry, reference, options = {}) {
    const configPath = dockerConfigPath(options);
    const config = readConfig(configPath, reference);
    const helper = entryFor(config.credHelpers, registry)?.[1] ?? config.credsStore;
    if (helper) {
        const fromHelper = await runCredentialHelper(helper, registry, reference, options);
        if (fromHelper)
            return { credentials: fromHelper, configPath };
    }
    const entry = entryFor(config.auths, registry);
    if (!entry)
        return { credentials: null, configPath };
    const [key, auth] = entry;
    const source = `auths["${key}"] in ${configPath}`;
    if (auth.identitytoken)
        return { credentials: { kind: 'identity_token', token: auth.identitytoken, source }, configPath };
    if (auth.auth) {
        const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0)
            throw new RegistryError('credentials_unreadable', `${source}: 'auth' is not base64 of user:password`, reference);
        return { credentials: { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source }, configPath };
    }
    if (auth.username && auth.password) {
        return { credentials: { kind: 'basic', username: auth.username, password: auth.password, source }, configPath };
    }
    return { credentials: null, configPath };
}
async function runCredentialHelper(name, registry, reference, options) {
    const bin = `docker-credential-${name}`;
    if (!/^[\w.-]+$/.test(name) || name.startsWith('-')) {
        throw new RegistryError('credentials_unreadable', `credential helper name '${name}' is not a plain name`, reference);
    }
    const result = await execa(bin, ['get'], {
        input: serverUrlFor(registry),
        reject: false,
        timeout: options.helperTimeoutMs ?? 10_000,
        env: options.env,
        stripFinalNewline: true,
    });
    const output = `${String(result.stdout)}\n${String(result.stderr)}`;
    // The helpers' protocol says "credentials not found" on a miss; that is not an error, just no login.
    if (result.exitCode !== 0 && /credentials not found/i.test(output))
        return null;
    if (result.failed) {
        const why = result.timedOut
            ? `no answer within ${(options.helperTimeoutMs ?? 10_000) / 1000} s`
            : result.exitCode === undefined
                ? 'it is not installed (not found on PATH)'
                : `exit ${result.exitCode}: ${String(result.stderr).trim().split('\n').at(-1) ?? ''}`;
        throw new RegistryError('credentials_unreadable', `credential helper ${bin} for ${registry} failed: ${why}`, reference);
    }
    let answer;
    try {
        answer = JSON.parse(String(result.stdout));
    }
    catch {
        throw new RegistryError('credentials_unreadable', `credential helper ${bin} printed something other than JSON`, reference);
    }
    if (!answer.Secret)
        return null;
    const source = `credential helper ${bin}`;
    if (answer.Username === '<token>')
        return { kind: 'identity_token', token: answer.Secret, source };
    return { kind: 'basic', username: answer.Username ?? '', password: answer.Secret, source };
}
