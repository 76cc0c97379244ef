// The flood gate: a burst of similar events becomes the first few lines of
// each interval plus one summary, and nothing is lost from the count.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFloodGate } from '../../electron/core/app/log-flood';
import { memoryLogger } from '../support/memory-logger';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function gate(options: { intervalMs?: number; fullPerInterval?: number } = {}) {
  const logger = memoryLogger();
  const g = createFloodGate({ logger: logger.child('listener'), what: 'requests rejected', ...options });
  return { g, logger };
}

describe('flood gate', () => {
  it('logs every event in full while there are few, and no summary', () => {
    const { g, logger } = gate({ intervalMs: 1_000, fullPerInterval: 3 });
    g.note('401 bad-signature', 'rejected (401): signature does not verify', { status: 401 });
    g.note('404 not-found', 'rejected (404): no route');
    vi.advanceTimersByTime(5_000);
    expect(logger.entries).toEqual([
      { level: 'warn', module: 'listener', message: 'rejected (401): signature does not verify', fields: { status: 401 } },
      { level: 'warn', module: 'listener', message: 'rejected (404): no route' },
    ]);
  });

  it('counts past the allowance and reports the rest by kind in one line when the interval ends', () => {
    const { g, logger } = gate({ intervalMs: 1_000, fullPerInterval: 2 });
    for (let i = 0; i < 10; i += 1) g.note('401 bad-signature', `forged ${i}`);
    for (let i = 0; i < 3; i += 1) g.note('415 wrong-content-type', `typed ${i}`);
    expect(logger.lines).toEqual(['listener: forged 0', 'listener: forged 1']);
    vi.advanceTimersByTime(999);
    expect(logger.lines).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(logger.entries[2]).toEqual({
      level: 'warn',
      module: 'listener',
      // Most frequent kind first.
      message: '11 more requests rejected in the last 1 s (401 bad-signature: 8; 415 wrong-content-type: 3)',
      fields: { summary: { '401 bad-signature': 8, '415 wrong-content-type': 3 } },
    });
    expect(logger.entries).toHaveLength(3);
  });

  it('starts a fresh allowance after each summary, so a long flood is a few lines per interval', () => {
    const { g, logger } = gate({ intervalMs: 100, fullPerInterval: 2 });
    let sent = 0;
    for (let tick = 0; tick < 50; tick += 1) {
      for (let i = 0; i < 20; i += 1) {
        g.note('401 bad-signature', 'forged');
        sent += 1;
      }
      vi.advanceTimersByTime(10);
    }
    g.close();
    const summaries = logger.entries.filter((e) => e.fields?.['summary']);
    const full = logger.entries.filter((e) => !e.fields?.['summary']);
    // 500 ms of flood in 100 ms intervals: five intervals, each two full lines and a summary.
    expect(summaries).toHaveLength(5);
    expect(full).toHaveLength(10);
    const counted = summaries.reduce((n, e) => n + (e.fields?.['summary'] as Record<string, number>)['401 bad-signature']!, 0);
    expect(full.length + counted).toBe(sent);
  });

  it('waits for the next event to start a new interval after a quiet one', () => {
    const { g, logger } = gate({ intervalMs: 1_000, fullPerInterval: 1 });
    g.note('a', 'first');
    g.note('a', 'counted');
    vi.advanceTimersByTime(1_000);
    expect(logger.lines).toEqual(['listener: first', 'listener: 1 more requests rejected in the last 1 s (a: 1)']);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    g.note('a', 'later');
    expect(logger.lines.at(-1)).toBe('listener: later');
    expect(vi.getTimerCount()).toBe(1);
  });

  it('close reports what is still counted at once and leaves no timer behind', () => {
    const { g, logger } = gate({ intervalMs: 10_000, fullPerInterval: 1 });
    g.note('a', 'first');
    g.note('b', 'counted');
    vi.advanceTimersByTime(2_500);
    g.close();
    // The summary names the span it covers, cut short by the close.
    expect(logger.lines).toEqual(['listener: first', 'listener: 1 more requests rejected in the last 2.5 s (b: 1)']);
    expect(vi.getTimerCount()).toBe(0);
    g.close();
    expect(logger.lines).toHaveLength(2);
  });

  it('defaults to five full lines per ten seconds', () => {
    const { g, logger } = gate();
    for (let i = 0; i < 8; i += 1) g.note('k', `line ${i}`);
    expect(logger.lines).toHaveLength(5);
    vi.advanceTimersByTime(9_999);
    expect(logger.lines).toHaveLength(5);
    vi.advanceTimersByTime(1);
    expect(logger.lines.at(-1)).toBe('listener: 3 more requests rejected in the last 10 s (k: 3)');
  });
});
