#!/usr/bin/env node
// A `sky` that answers with what real SkyPilot printed for the same arguments (recorded by the contract
// harness), so skyloop's adapter (SkyCli) reads real output through its own process handling.
//   SKYLOOP_REPLAY=<json file: [{argv, stdout, stderr, exit_code}]> replay-sky.js ARGS...
import { readFileSync } from 'node:fs';
import { setInterval } from 'node:timers';

const recorded = JSON.parse(readFileSync(process.env.SKYLOOP_REPLAY, 'utf8'));
const args = JSON.stringify(process.argv.slice(2));
const hit = recorded.find((r) => JSON.stringify(r.argv) === args);
if (!hit) {
  process.stderr.write(`replay-sky: no recorded output for sky ${process.argv.slice(2).join(' ')}\n`);
  process.exit(97);
}
process.stdout.write(hit.stdout);
process.stderr.write(hit.stderr);
if (hit.timed_out) setInterval(() => {}, 60_000); // SkyPilot never answered: neither does the replay
else process.exitCode = hit.exit_code;
