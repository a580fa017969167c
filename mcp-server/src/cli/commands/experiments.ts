import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readIndex } from '../../factorial/experiment-index.js';
import { summarize } from '../../factorial/summary.js';
import { ExperimentStore } from '../../store/experiment-store.js';
import { readSupervisor } from '../../supervisor/supervisor-lock.js';
import { textTable } from '../text-table.js';

export const experimentsHelp = `Usage: skyloop experiments [--json]
  Every experiment launched from this account (the index in ~/.skyloop/experiments.json, SKYLOOP_HOME moves
  it) and every manifest in the outputs dir: where it lives, its counts, and whether a supervisor is alive.
`;

export async function experimentsCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  const places = new Map<string, string>(Object.entries(readIndex()).map(([id, e]) => [id, e.outputs_dir]));
  const local = resolve(process.env.SKYLOOP_OUTPUTS_DIR ?? 'outputs');
  let names: string[] = [];
  try {
    names = readdirSync(local);
  } catch {
    /* no outputs dir here */
  }
  for (const f of names) {
    const m = /^factorial_manifest_(.+)\.json$/.exec(f);
    if (m && !places.has(m[1] as string)) places.set(m[1] as string, local);
  }
  const rows = [...places].flatMap(([id, dir]) => {
    const store = new ExperimentStore(dir, id);
    if (!store.exists()) return [];
    const s = summarize(store.read(), new Date());
    const sup = readSupervisor(dir, id);
    return [{ experiment_id: id, outputs_dir: dir, terminal: s.terminal, total: s.total, all_succeeded: s.all_succeeded, cost_so_far_usd: s.cost_so_far_usd, supervisor_pid: sup?.alive ? sup.pid : null }];
  });
  if (values.json) {
    out.write(JSON.stringify({ experiments: rows }, null, 2) + '\n');
    return 0;
  }
  if (rows.length === 0) {
    out.write('no experiments yet: skyloop factorial launch <config.yaml>\n');
    return 0;
  }
  out.write(textTable(
    ['EXPERIMENT', 'DONE', 'COST', 'SUPERVISOR', 'OUTPUTS'],
    rows.map((r) => [r.experiment_id, `${r.terminal}/${r.total}`, `$${r.cost_so_far_usd.toFixed(2)}`, r.supervisor_pid === null ? '-' : `pid ${r.supervisor_pid}`, r.outputs_dir]),
  ));
  return 0;
}
