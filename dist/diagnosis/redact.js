// Secrets never leave the diagnosis engine: every excerpt of log text is redacted first.
const RULES = [
    [/\bhf_[A-Za-z0-9]{20,}\b/g, 'hf_<redacted>'],
    [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, 'gh*_<redacted>'],
    [/\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, 'github_pat_<redacted>'],
    [/\bsky_[A-Za-z0-9_-]{16,}\b/g, 'sky_<redacted>'],
    [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '<aws-access-key>'],
    [/\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g, 'xox*-<redacted>'],
    [/\bsk-[A-Za-z0-9_-]{20,}\b/g, 'sk-<redacted>'],
    // user:password@ in URLs
    [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1<redacted>@'],
    // NAME_PASSWORD=value, NAME_TOKEN: value, …SECRET…, …API_KEY…
    [/\b([A-Z0-9_]*(?:PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|ACCESS_KEY)[A-Z0-9_]*)(\s*[=:]\s*)("?)[^\s"']+\3/g, '$1$2$3<redacted>$3'],
    [/(\bAuthorization:\s*(?:Bearer|Basic)\s+)\S+/gi, '$1<redacted>'],
];
export function redact(text) {
    let out = text;
    for (const [pattern, replacement] of RULES)
        out = out.replace(pattern, replacement);
    return out;
}
