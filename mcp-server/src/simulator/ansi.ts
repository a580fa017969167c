// ANSI styling as colorama/click emit it. Whether colour is written at all is decided once per
// process (SKYLOOP_SIM_COLOR=auto|always|never; default auto, SkyPilot's own behaviour).

import { stripAnsi } from '../sky/sky-output-text.js';

export const RESET = '\x1b[0m';
export const FORE = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  cyan: '\x1b[36m',
} as const;
export const BRIGHT = '\x1b[1m';
export const DIM = '\x1b[2m';

/** Printable width (ANSI codes excluded; every code point counts as one column like prettytable's wcwidth for our glyphs). */
export function visibleWidth(s: string): number {
  let n = 0;
  for (const _ of stripAnsi(s)) n++;
  return n;
}

let colorEnabled = true;
let relayedColorEnabled = true;

/**
 * `auto` is SkyPilot's own behaviour: through a pipe the CLI's own lines (click.echo) lose their codes, while
 * lines relayed from the API server (job logs, `⚙︎ Job submitted`) keep theirs.
 */
export function configureColor(mode: string | undefined, isTty: boolean): void {
  colorEnabled = mode === 'never' ? false : mode === 'always' ? true : isTty;
  relayedColorEnabled = mode !== 'never';
}

export function colorOn(): boolean {
  return colorEnabled;
}

/** Drop the codes when colour is off, exactly like click.echo does on a non-TTY. */
export function out(s: string, relayed = false): string {
  return (relayed ? relayedColorEnabled : colorEnabled) ? s : stripAnsi(s);
}

/** ManagedJobStatus colours (sky/jobs/state.py _SPOT_STATUS_TO_COLOR). */
const STATUS_COLOR: Record<string, string> = {
  PENDING: FORE.blue,
  SUBMITTED: FORE.blue,
  STARTING: FORE.blue,
  RUNNING: FORE.green,
  WINDING_DOWN: FORE.cyan,
  RECOVERING: FORE.cyan,
  CANCELLING: FORE.yellow,
  CANCELLED: FORE.yellow,
  SUCCEEDED: FORE.green,
  FAILED: FORE.red,
  FAILED_SETUP: FORE.red,
  FAILED_PRECHECKS: FORE.red,
  FAILED_NO_RESOURCE: FORE.red,
  FAILED_CONTROLLER: FORE.red,
};

export function coloredStatus(status: string): string {
  return `${STATUS_COLOR[status] ?? ''}${status}${RESET}`;
}
