import { describe, expect, it } from 'vitest';
import { evaluateKillSwitch, type KillSwitchJob } from '../../mcp-server/src/rules/kill-switch.js';

const SETTINGS = { enabled: true, min_failures: 3, window_s: 300 };
const OOM = 'OOM_CUDA:torch.OutOfMemoryError: CUDA out of memory. Tried to allocate <n> GiB';
let nextId = 1;
const job = (model: string, fold: number, over: Partial<KillSwitchJob> = {}): KillSwitchJob => ({
  condition: `${model}/fold-${fold}`, job_id: nextId++, levels: { model, fold }, status: 'RUNNING',
  ended_at: null, duration_s: 100, fingerprint: null, cancel_requested: false, ...over,
});
const failed = (model: string, fold: number, endedAt: number, ran: number, fingerprint = OOM) =>
  job(model, fold, { status: 'FAILED', ended_at: endedAt, duration_s: ran, fingerprint });

describe('evaluateKillSwitch', () => {
  it('fires on 3 identical failures within 5 min and cancels only same-config jobs not past the failure point', () => {
    const jobs = [
      failed('sam', 0, 1000, 600), failed('sam', 1, 1100, 620), failed('sam', 2, 1250, 640),
      job('sam', 3, { duration_s: 300 }), // same config, not yet at 640 s: cancelled
      job('sam', 4, { duration_s: 900 }), // same config, already past 640 s: continues
      job('sam', 5, { status: 'PENDING', duration_s: null }), // not started: cancelled
      job('unet', 0, { duration_s: 10 }), // different model: continues
      job('sam', 6, { status: 'SUCCEEDED' }), // terminal: untouched
    ];
    const [d] = evaluateKillSwitch(jobs, SETTINGS);
    expect(d?.fired).toBe(true);
    expect(d?.common_levels).toEqual({ model: 'sam' });
    expect(d?.cancel.map((c) => c.condition)).toEqual(['sam/fold-3', 'sam/fold-5']);
    expect(d?.spared).toEqual([
      { condition: 'sam/fold-4', reason: 'ran 900 s, past the failure point (640 s)' },
      { condition: 'unet/fold-0', reason: 'different config (model=unet)' },
    ]);
  });

  it('holds when the failures are spread over more than the window, saying so', () => {
    const jobs = [failed('sam', 0, 0, 60), failed('sam', 1, 200, 60), failed('sam', 2, 400, 60), job('sam', 3)];
    const [d] = evaluateKillSwitch(jobs, SETTINGS);
    expect(d?.fired).toBe(false);
    expect(d?.cancel).toEqual([]);
    expect(d?.reasons[0]).toMatch(/at most 2 within 300 s/);
  });

  it('needs identical fingerprints: three different errors do not fire', () => {
    const jobs = [failed('sam', 0, 0, 60, 'A:x'), failed('sam', 1, 10, 60, 'B:y'), failed('sam', 2, 20, 60, 'C:z'), job('sam', 3)];
    expect(evaluateKillSwitch(jobs, SETTINGS)).toEqual([]);
  });

  it('treats failures across every config as infrastructure: common levels empty, all young jobs cancelled', () => {
    const jobs = [failed('sam', 0, 0, 60), failed('unet', 1, 10, 60), failed('vit', 2, 20, 60), job('vit', 3, { duration_s: 30 })];
    const [d] = evaluateKillSwitch(jobs, SETTINGS);
    expect(d?.common_levels).toEqual({});
    expect(d?.cancel.map((c) => c.condition)).toEqual(['vit/fold-3']);
  });

  it('honours its settings: disabled, or a higher threshold', () => {
    const jobs = [failed('sam', 0, 0, 60), failed('sam', 1, 10, 60), failed('sam', 2, 20, 60), job('sam', 3)];
    expect(evaluateKillSwitch(jobs, { ...SETTINGS, enabled: false })).toEqual([]);
    expect(evaluateKillSwitch(jobs, { ...SETTINGS, min_failures: 4 })).toEqual([]);
  });

  it('does not cancel a job it already asked SkyPilot to cancel (still RUNNING until its controller acts)', () => {
    const jobs = [failed('sam', 0, 0, 60), failed('sam', 1, 10, 60), failed('sam', 2, 20, 60),
      job('sam', 3, { duration_s: 30, cancel_requested: true }), job('sam', 4, { duration_s: 30 })];
    const [d] = evaluateKillSwitch(jobs, SETTINGS);
    expect(d?.cancel.map((c) => c.condition)).toEqual(['sam/fold-4']);
    expect(d?.spared).toEqual([]);
  });
});
