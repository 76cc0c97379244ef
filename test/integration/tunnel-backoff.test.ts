// Restart back-off: the pure schedule, then the supervisor's use of it under
// vitest's fake clock, with the real stand-in process failing for real.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, createBackoff, DEFAULT_BACKOFF } from '../../electron/core/tunnel/backoff';
import { createTunnelSupervisor, type TunnelState, type TunnelSupervisor } from '../../electron/core/tunnel/tunnel-supervisor';
import { FAKE_CLOUDFLARED, isAlive, isOffline, isOnline, tempDir, waitForState } from '../support/cloudflared-harness';

describe('back-off schedule', () => {
  it('doubles from 1 s and stops at 5 min', () => {
    const delays = Array.from({ length: 12 }, (_, attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, 0.5));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('jitters by at most ±20% and never past the cap', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, 0)).toBe(800);
    expect(backoffDelay(0, DEFAULT_BACKOFF, 0.999_999)).toBe(1_200);
    expect(backoffDelay(8, DEFAULT_BACKOFF, 0.999_999)).toBe(300_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const base = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.initialMs * 2 ** attempt);
        const delay = backoffDelay(attempt, DEFAULT_BACKOFF, r);
        return delay >= Math.floor(base * 0.8) && delay <= Math.min(DEFAULT_BACKOFF.maxMs, Math.ceil(base * 1.2));
      }),
    );
  });

  it('starts over after reset', () => {
    const b = createBackoff({ jitter: 0 });
    expect([b.next(), b.next(), b.next()]).toEqual([1_000, 2_000, 4_000]);
    expect(b.attempts()).toBe(3);
    b.reset();
    expect(b.next()).toBe(1_000);
  });

  it('keeps counting attempts past the cap without overflowing', () => {
    const b = createBackoff({ jitter: 0 });
    for (let i = 0; i < 2_000; i += 1) b.next();
    expect(b.next()).toBe(300_000);
    expect(b.attempts()).toBe(2_001);
  });

  it('rejects nonsense settings', () => {
    expect(() => createBackoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => createBackoff({ maxMs: 10, initialMs: 100 })).toThrow(RangeError);
    expect(() => createBackoff({ jitter: 1.5 })).toThrow(RangeError);
  });
});

describe('restart back-off in the supervisor (fake clock, real processes)', () => {
  let tmp: { dir: string; remove: () => void };
  let sup: TunnelSupervisor | null;

  beforeEach(() => {
    tmp = tempDir();
    sup = null;
    // Only the clock is faked; child-process I/O stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });

  afterEach(async () => {
    await sup?.stop();
    vi.useRealTimers();
    for (const pid of starts()) expect(isAlive(pid)).toBe(false);
    tmp.remove();
  });

  const starts = () =>
    existsSync(path.join(tmp.dir, 'pids'))
      ? readFileSync(path.join(tmp.dir, 'pids'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map(Number)
      : [];

  function make(scenario: string, random: () => number, env: Record<string, string> = {}) {
    sup = createTunnelSupervisor({
      mode: { kind: 'quick' },
      localPort: 8080,
      healthPath: '/health',
      binary: { configuredPath: FAKE_CLOUDFLARED, envPath: '' },
      fetchImpl: async () => new Response('ok'),
      random,
      timing: { healthIntervalMs: 1e9, stableAfterMs: 60_000, stopGraceMs: 2_000 },
      spawn: {
        env: {
          FAKE_CLOUDFLARED_SCENARIO: scenario,
          FAKE_CLOUDFLARED_RUN_FILE: path.join(tmp.dir, 'runs'),
          FAKE_CLOUDFLARED_PID_FILE: path.join(tmp.dir, 'pids'),
          FAKE_CLOUDFLARED_URL_DELAY_MS: '0',
          FAKE_CLOUDFLARED_CONNECT_DELAY_MS: '0',
          ...env,
        },
      },
    });
    return sup;
  }

  /** The delay until the retry the supervisor just announced. */
  async function nextFailure(s: TunnelSupervisor): Promise<number> {
    const state = (await waitForState(s, isOffline(), 10_000)) as Extract<TunnelState, { status: 'offline' }>;
    expect(state.retryAt).toBeTypeOf('number');
    return (state.retryAt as number) - Date.now();
  }

  it('waits 1 s, 2 s, 4 s … up to 5 min between restarts, and not a millisecond less', async () => {
    const s = make('no-network', () => 0.5);
    s.start();
    const delays: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const delay = await nextFailure(s);
      delays.push(delay);
      const before = starts().length;
      if (i < 3) {
        await vi.advanceTimersByTimeAsync(delay - 1);
        expect(starts().length).toBe(before);
        expect(s.state().status).toBe('offline');
        await vi.advanceTimersByTimeAsync(1);
      } else {
        await vi.advanceTimersByTimeAsync(delay);
      }
      expect(s.state()).toEqual({ status: 'starting' });
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
  });

  it('applies the jitter it is given: −20% and +20%', async () => {
    const low = make('no-network', () => 0);
    low.start();
    expect(await nextFailure(low)).toBe(800);
    await low.stop();
    const high = make('no-network', () => 0.999_999);
    high.start();
    expect(await nextFailure(high)).toBe(1_200);
  });

  /** Two failed starts (retried after 1 s, then 2 s), then a run that comes online and crashes a little later. */
  async function onlineAfterTwoFailures(): Promise<TunnelSupervisor> {
    const s = make('no-network,no-network,crash', () => 0.5, { FAKE_CLOUDFLARED_EVENT_AFTER_MS: '300' });
    s.start();
    expect(await nextFailure(s)).toBe(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await nextFailure(s)).toBe(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await waitForState(s, isOnline, 10_000);
    return s;
  }

  it('starts again from 1 s after a run that stayed online long enough', async () => {
    const s = await onlineAfterTwoFailures();
    await vi.advanceTimersByTimeAsync(60_000);
    // The crash comes after a healthy minute: back to the first delay.
    expect(await nextFailure(s)).toBe(1_000);
  });

  it('keeps growing after a run that crashed before it was stable', async () => {
    const s = await onlineAfterTwoFailures();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await nextFailure(s)).toBe(4_000);
  });
});
