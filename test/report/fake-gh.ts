// A fake `gh` for the issue-filing tests: a small Node script written into a temp dir. It records every
// argv (with the content of --body-file) to calls.jsonl beside itself, keeps the issues it created in
// state.json, and serves them to `gh issue list --search` by the fingerprint marker.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/paths.js';

const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = __dirname;
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const bodyFile = opt('--body-file');
const body = bodyFile ? fs.readFileSync(bodyFile, 'utf8') : null;
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ args, body }) + '\n');
const statePath = path.join(dir, 'state.json');
const state = fs.existsSync(statePath) ? JSON.parse(fs.readFileSync(statePath, 'utf8')) : { issues: [] };
const flag = (name) => fs.existsSync(path.join(dir, name));
if (args[0] === 'auth' && args[1] === 'status') {
  if (flag('logged-out')) { process.stderr.write('You are not logged into any GitHub hosts. To log in, run: gh auth login\n'); process.exit(1); }
  process.stdout.write('github.com\n  ✓ Logged in to github.com account tester\n');
  process.exit(0);
}
if (args[0] === 'issue' && args[1] === 'list') {
  const hash = (opt('--search') || '').match(/[0-9a-f]{16}/);
  const found = state.issues.filter((i) => hash && i.body.includes(hash[0]));
  process.stdout.write(JSON.stringify(found.map(({ number, url, body }) => ({ number, url, body }))));
  process.exit(0);
}
if (args[0] === 'issue' && args[1] === 'create') {
  const labels = args.filter((a, i) => args[i - 1] === '--label');
  if (labels.length && flag('no-labels')) { process.stderr.write("could not add label: '" + labels[0] + "' not found\n"); process.exit(1); }
  const number = state.issues.length + 1;
  const url = 'https://github.com/example/seg/issues/' + number;
  state.issues.push({ number, url, title: opt('--title'), labels, body });
  fs.writeFileSync(statePath, JSON.stringify(state));
  process.stdout.write('\nCreating issue in example/seg\n\n' + url + '\n');
  process.exit(0);
}
if (args[0] === 'issue' && args[1] === 'comment') {
  process.stdout.write('https://github.com/example/seg/issues/' + args[2] + '#issuecomment-1\n');
  process.exit(0);
}
process.stderr.write('fake gh: unexpected ' + args.join(' ') + '\n');
process.exit(2);
`;

export interface FakeGh {
  dir: string;
  bin: string;
  /** PATH with the fake gh first. */
  path: string;
  calls: () => { args: string[]; body: string | null }[];
  issues: () => { number: number; url: string; title: string; labels: string[]; body: string }[];
  set: (flag: 'logged-out' | 'no-labels') => void;
}

export function fakeGh(): FakeGh {
  const dir = join(tempDir('fake-gh'), 'bin');
  mkdirSync(dir);
  const bin = join(dir, 'gh');
  writeFileSync(bin, SCRIPT);
  chmodSync(bin, 0o755);
  const calls = join(dir, 'calls.jsonl');
  const state = join(dir, 'state.json');
  return {
    dir,
    bin,
    path: `${dir}:${process.env.PATH ?? ''}`,
    calls: () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []),
    issues: () => (existsSync(state) ? JSON.parse(readFileSync(state, 'utf8')).issues : []),
    set: (flag) => writeFileSync(join(dir, flag), ''),
  };
}
