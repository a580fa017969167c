// Pre-flight: can SkyPilot use the cloud? Asks `sky check [cloud]` through the SkyPilot adapter and
// reads its per-cloud lines (`  AWS: enabled [compute, storage]` / `  AWS: disabled` + `Reason …:`).
import type { SkyCli } from '../sky/sky-cli.js';
import { SkyError } from '../sky/sky-errors.js';
import { checkClock, errorMessage, type CheckContext, type CheckResult } from './check-result.js';

export interface CloudCredentialsInput {
  /** e.g. `aws`, `gcp`, `lambda`, `k8s`; without it, any enabled infra passes. */
  cloud?: string | undefined;
}

export interface CloudCredentialsDeps extends CheckContext {
  sky: Pick<SkyCli, 'check'>;
}

export interface CloudStatus {
  cloud: string;
  enabled: boolean;
  /** The `Reason …:` text of a disabled cloud and the command lines under it, joined. */
  reason: string | null;
}

const CLOUD_LINE = /^\s+([A-Za-z][\w .()-]*?):\s+(enabled|disabled)\b/;
const REASON_LINE = /^\s+(?:Reason|Hint)\s*(?:\[[^\]]*\])?:\s*(.*)$/;
const ALIASES: Record<string, string> = { k8s: 'kubernetes', gke: 'kubernetes', lambdalabs: 'lambda', lambdacloud: 'lambda' };

const cloudKey = (s: string): string => {
  const k = s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return ALIASES[k] ?? k;
};

/** The per-cloud lines of `sky check` text (ANSI already stripped by the adapter). */
export function parseSkyCheck(text: string): CloudStatus[] {
  const out: CloudStatus[] = [];
  let current: { status: CloudStatus; lines: string[] } | null = null;
  const close = () => {
    if (current && !current.status.enabled && current.lines.length > 0) current.status.reason = current.lines.join(' ');
    current = null;
  };
  for (const line of text.split('\n')) {
    const m = CLOUD_LINE.exec(line);
    if (m) {
      close();
      const status: CloudStatus = { cloud: m[1] as string, enabled: m[2] === 'enabled', reason: null };
      out.push(status);
      current = { status, lines: [] };
      continue;
    }
    if (current === null) continue;
    if (line.trim() === '' || !/^\s/.test(line)) {
      close();
      continue;
    }
    const reason = REASON_LINE.exec(line);
    const text = (reason ? (reason[1] as string) : line).trim();
    if (text !== '' && text !== '...') (current as { lines: string[] }).lines.push(text);
  }
  close();
  return out;
}

export async function checkCloudCredentials(input: CloudCredentialsInput, deps: CloudCredentialsDeps): Promise<CheckResult> {
  const clock = checkClock('cloud_credentials');
  const command = input.cloud === undefined ? 'sky check' : `sky check ${input.cloud}`;
  let text: string;
  try {
    text = await deps.sky.check(input.cloud);
  } catch (e) {
    const hint =
      e instanceof SkyError && e.kind === 'not_installed'
        ? "install SkyPilot (pip install 'skypilot[<cloud>]') or set SKYLOOP_SKY_BIN"
        : `run \`${command}\` yourself to see the whole error (is the SkyPilot API server up?)`;
    return clock.fail(`\`${command}\` failed: ${errorMessage(e)}`, hint);
  }
  const clouds = parseSkyCheck(text);
  if (input.cloud === undefined) {
    const enabled = clouds.filter((c) => c.enabled).map((c) => c.cloud);
    if (enabled.length > 0) return clock.pass(`\`sky check\`: enabled infra: ${enabled.join(', ')}`, null, { enabled });
    return clock.fail('`sky check` reports no enabled infra', 'set up credentials for a cloud, then rerun `sky check`', { enabled });
  }
  const wanted = cloudKey(input.cloud);
  const line = clouds.find((c) => cloudKey(c.cloud) === wanted);
  if (line === undefined) {
    return clock.fail(
      `\`${command}\` printed no line for ${input.cloud}`,
      `check the cloud name (SkyPilot names: aws, gcp, azure, kubernetes, lambda, runpod, …) and run \`${command}\``,
    );
  }
  if (line.enabled) return clock.pass(`${line.cloud} is enabled (\`${command}\`)`, null, { cloud: line.cloud });
  return clock.fail(
    `${line.cloud} is disabled (\`${command}\`)${line.reason ? `: ${line.reason}` : ''}`,
    `${line.reason ? `${line.reason}; then ` : 'set up its credentials, then '}rerun \`${command}\``,
    { cloud: line.cloud },
  );
}
