// The supervisor's own clock (heartbeats, the outage window, the pause between polls). SkyPilot's times
// come from the queue. With SKYLOOP_SUPERVISOR_CLOCK=sky-sim and the simulator's clock frozen
// (SKYLOOP_SIM_SPEED=0), the pause between polls advances the simulator instead of sleeping: a night of
// simulated time runs in minutes, and the same polls happen at the same simulated times on any machine.
import { execa } from 'execa';

export interface SupervisorClock {
  nowMs(): number;
  /** Resolves early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: SupervisorClock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = () => { clearTimeout(timer); resolve(); };
      const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Drives the simulator's frozen clock: `sky-sim sim advance <s>` per pause. */
export function simulatorClock(bin: string): SupervisorClock {
  let advancedMs = 0;
  return {
    nowMs: () => Date.now() + advancedMs,
    async sleep(ms, signal) {
      if (signal?.aborted) return;
      await execa(bin, ['sim', 'advance', String(ms / 1000)], { stdin: 'ignore', timeout: 60_000 });
      advancedMs += ms;
      await realClock.sleep(5, signal); // let signals and deliveries in
    },
  };
}

export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): SupervisorClock {
  if (env.SKYLOOP_SUPERVISOR_CLOCK === 'sky-sim') return simulatorClock(env.SKYLOOP_SKY_BIN ?? 'sky');
  return realClock;
}
