// The fixed-URL mode's monitor with a scripted health route: when it says
// online, when offline, and that it stops quietly.

import { describe, expect, it } from 'vitest';
import { startFixedUrlMonitor } from '../../electron/core/tunnel/fixed-url-monitor';
import type { Timers } from '../../electron/core/tunnel/guarded-spawn';
import type { HealthResult, HealthRoute } from '../../electron/core/tunnel/health-check';
import type { TunnelState } from '../../electron/core/tunnel/tunnel-state';
import { memoryLogger } from '../support/memory-logger';
import { sleep, until } from '../support/cloudflared-harness';

const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Answers from the script in order, then keeps repeating the last one. */
function scripted(results: HealthResult[]): HealthRoute & { probes: string[] } {
  const probes: string[] = [];
  return {
    probes,
    probe: async (url) => {
      probes.push(url);
      return results[Math.min(probes.length - 1, results.length - 1)] as HealthResult;
    },
    shown: (url) => `${url}/health/…`,
  };
}

const ok: HealthResult = { ok: true, status: 200 };
const down: HealthResult = { ok: false, status: 502, error: 'answered HTTP 502' };

function monitor(health: HealthRoute, failuresBeforeOffline = 2) {
  const states: TunnelState[] = [];
  const logger = memoryLogger();
  const m = startFixedUrlMonitor({
    url: 'https://till.example.com',
    health,
    intervalMs: 20,
    failuresBeforeOffline,
    timers,
    now: () => 1_000,
    logger,
    report: (s) => states.push(s),
  });
  return { m, states, logger };
}

describe('fixed URL monitor', () => {
  it('checks at once and reports online while the URL answers', async () => {
    const health = scripted([ok]);
    const { m, states } = monitor(health);
    await until(() => states.length >= 2, 2_000, 'two checks');
    m.stop();
    expect(health.probes[0]).toBe('https://till.example.com');
    expect(states.slice(0, 2)).toEqual([
      { status: 'online', publicUrl: 'https://till.example.com' },
      { status: 'online', publicUrl: 'https://till.example.com' },
    ]);
  });

  it('goes offline only after the failures in a row, with the next check as the retry, and online again when it answers', async () => {
    const health = scripted([ok, down, down, down, ok]);
    const { m, states, logger } = monitor(health, 2);
    await until(() => health.probes.length >= 5 && states.length >= 4, 2_000, 'five checks');
    m.stop();
    const message = (n: number) => `https://till.example.com/health/… did not answer the health check ${n} times in a row (last: answered HTTP 502).`;
    expect(states.slice(0, 4)).toEqual([
      { status: 'online', publicUrl: 'https://till.example.com' },
      { status: 'offline', reason: 'health-check-failed', message: message(2), retryAt: 1_020 },
      { status: 'offline', reason: 'health-check-failed', message: message(3), retryAt: 1_020 },
      { status: 'online', publicUrl: 'https://till.example.com' },
    ]);
    expect(logger.lines.slice(0, 3)).toEqual([1, 2, 3].map((n) => `fixed-url-monitor: health check of https://till.example.com/health/… failed (${n} in a row): answered HTTP 502`));
  });

  it('reports nothing once stopped, even a check already under way', async () => {
    let release!: () => void;
    const health: HealthRoute = {
      probe: () => new Promise((resolve) => (release = () => resolve(ok))),
      shown: (url) => url,
    };
    const { m, states } = monitor(health);
    await until(() => release !== undefined, 2_000, 'the first check');
    m.stop();
    release();
    await sleep(60);
    expect(states).toEqual([]);
  });
});
