// Where a registry's API answers. Plain http is only for a registry on this machine (the simulator's,
// a test's, an SSH tunnel's): anywhere else a man in the middle could swap the digest we verify.
/** 127.0.0.0/8, localhost, [::1], with or without a port. */
export function isLoopbackHost(hostWithPort) {
    const host = hostWithPort.startsWith('[') ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1) : hostWithPort.split(':')[0];
    return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host ?? '');
}
/** `http://host:port` for loopback registries, `https://host` otherwise. */
export const registryBaseUrl = (registry) => `${isLoopbackHost(registry) ? 'http' : 'https'}://${registry}`;
/** Whether credentials may be sent to `url`: https anywhere, http only on loopback. */
export function isSafeForCredentials(url) {
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.host));
}
