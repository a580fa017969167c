type Run = { exitCode?: number; stdout: string; stderr: string; cpu_s?: number };
export function ralphNightScenario(duration?: string): string;
export interface RalphNightWorld {
  dir: string;
  env: Record<string, string>;
  outputs: string;
  ralph(more?: string[], options?: { cpu?: boolean }): Promise<Run>;
  report(): Promise<Record<string, unknown> & { outcome: string; attempts: Record<string, unknown>[] }>;
  events(): ({ type: string } & Record<string, unknown>)[];
  skyCalls(): string[];
}
export function ralphNightWorld(scenario?: string): RalphNightWorld;
