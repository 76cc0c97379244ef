/**
 * Logs a burst of similar events as a summary per interval instead of a line
 * each: 20 s of forged webhooks once wrote 150,000 lines. The first few of
 * each interval are logged in full (enough to see what they look like); the
 * rest are counted by kind and reported as one line when the interval ends.
 */
import type { LogFields, Logger } from './logger';

export interface FloodGate {
  /** One event of kind `kind` (e.g. "401 bad-signature"); logged in full or counted. */
  note(kind: string, message: string, fields?: LogFields): void;
  /** Reports what is still counted and stops the timer. */
  close(): void;
}

export interface FloodGateOptions {
  logger: Logger;
  /** What is being counted, for the summary: "webhook requests rejected". */
  what: string;
  intervalMs?: number;
  /** Logged in full per interval before counting starts. */
  fullPerInterval?: number;
}

export function createFloodGate(options: FloodGateOptions): FloodGate {
  const intervalMs = options.intervalMs ?? 10_000;
  const fullPerInterval = options.fullPerInterval ?? 5;
  let logged = 0;
  const counted = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let startedAt = 0;

  const flush = () => {
    if (counted.size) {
      const total = [...counted.values()].reduce((a, b) => a + b, 0);
      const kinds = [...counted.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind}: ${n}`);
      // The span actually covered: a close() cuts an interval short.
      const span = describeSpan(Date.now() - startedAt);
      options.logger.warn(`${total} more ${options.what} in the last ${span} (${kinds.join('; ')})`, {
        summary: Object.fromEntries(counted),
      });
    }
    counted.clear();
    logged = 0;
    // Quiet again: the next event starts a new interval.
    if (timer) clearTimeout(timer);
    timer = null;
  };

  return {
    note(kind, message, fields) {
      if (!timer) {
        startedAt = Date.now();
        timer = setTimeout(flush, intervalMs);
        timer.unref();
      }
      if (logged < fullPerInterval) {
        logged += 1;
        options.logger.warn(message, fields);
        return;
      }
      counted.set(kind, (counted.get(kind) ?? 0) + 1);
    },
    close: flush,
  };
}

/** 10000 → "10 s", 2500 → "2.5 s", 150 → "150 ms". */
function describeSpan(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  return `${Number((ms / 1_000).toFixed(1))} s`;
}
