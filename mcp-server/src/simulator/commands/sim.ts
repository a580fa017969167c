// `sky-sim sim advance|reset|now|registry|push`: the simulator's own admin commands (not SkyPilot's).

import { SimConfigError } from '../errors.js';
import { stdout } from '../output.js';
import { scenarioPath } from '../scenario-match.js';
import { readState, resetState, simHome, simNow, updateState } from '../state.js';
import { parseDuration } from '../duration.js';

export async function simAdmin(argv: string[]): Promise<number> {
  const [sub, arg] = argv;
  if (sub === 'advance') {
    const secs = arg === undefined ? undefined : parseDuration(arg);
    if (secs === undefined) throw new SimConfigError("usage: sky-sim sim advance <seconds|duration like '90m'>");
    const now = await updateState((s) => {
      s.offset += secs;
      return simNow(s);
    });
    await stdout.line(String(now));
    return 0;
  }
  if (sub === 'reset') {
    await resetState();
    return 0;
  }
  if (sub === 'now') {
    const now = simNow(readState());
    await stdout.line(`${now} ${new Date(now * 1000).toISOString()}`);
    return 0;
  }
  if (sub === 'registry') return (await import('../registry/registry-commands.js')).serveRegistry(argv.slice(1));
  if (sub === 'rules') return scenarioRules();
  if (sub === 'push') return (await import('../registry/registry-commands.js')).pushToRegistry(argv.slice(1));
  throw new SimConfigError(
    'usage: sky-sim sim advance <seconds> | sim reset | sim now | sim rules | sim registry [--port N] | sim push <127.0.0.1:port/repo:tag> [--label K=V]...',
  );
}

/**
 * How many launched jobs each scenario rule decided; a rule that decided none is warned about (values are
 * compared as text: `LR: "0.0003"` never matches a job launched with `LR=3e-4`). Exit 1 when one matched nothing.
 */
async function scenarioRules(): Promise<number> {
  const path = scenarioPath(simHome());
  if (path === undefined) {
    await stdout.line('no scenario (SKYLOOP_SIM_SCENARIO or $SKYLOOP_SIM_HOME/scenario.yaml): every job succeeds');
    return 0;
  }
  const { rules } = (await import('../scenario.js')).loadScenario(path);
  const counts = rules.map(() => 0);
  for (const job of readState().jobs) for (const t of job.tasks) if (t.rule !== undefined && t.rule < counts.length) counts[t.rule]! += 1;
  let unmatched = 0;
  for (const [i, rule] of rules.entries()) {
    const what = `rule ${i + 1} (match ${JSON.stringify(rule.match ?? {})})`;
    if (counts[i] === 0) unmatched++;
    await stdout.line(counts[i] === 0 ? `warning: ${what} matched no job; match values are compared as text` : `${what}: ${counts[i]} job(s)`);
  }
  return unmatched > 0 ? 1 : 0;
}
