export interface Received { path: string; body: Record<string, unknown> }
export function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }>;
type Run = { exitCode?: number; stdout: string; stderr: string };
export interface NightWorld {
  dir: string;
  env: Record<string, string>;
  outputs: string;
  config: string;
  commandOut: string;
  skyloop(args: string[], opts?: Record<string, unknown>): Promise<Run>;
  manifest(): import('../../mcp-server/src/factorial/manifest.js').Manifest;
  events(): ({ type: string } & Record<string, unknown>)[];
  skyCalls(): string[];
}
export function nightWorld(receiverUrl: string): NightWorld;
export function runNight(w: NightWorld, options?: { onPhase?: (phase: string) => void }): Promise<{ launch: Run; detached: Run; second: Run; stop: Run; final: Run }>;
