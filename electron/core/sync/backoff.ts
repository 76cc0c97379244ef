/**
 * How long the sync worker waits after failures: exponential, capped, with
 * jitter. The jitter matters in a shop: when the shop database comes back,
 * every till has been failing since the same moment, and without it they
 * would all knock at the same instant, again and again.
 */
export interface Backoff {
  /** The wait after the first failure (before the jitter). */
  baseMs: number;
  /** The longest wait, however many failures. */
  capMs: number;
}

/**
 * The wait after `failures` failures in a row (1 for the first): the
 * exponential step `min(cap, base * 2^(failures - 1))`, then a random point
 * in its upper half, so a till never retries sooner than half the step and
 * never later than the cap.
 */
export function backoffDelay(failures: number, backoff: Backoff, random: () => number = Math.random): number {
  if (!Number.isSafeInteger(failures) || failures < 1) throw new RangeError(`failures counts from 1, got ${String(failures)}`);
  // 2^30 already dwarfs any cap; the exponent stops growing there so the number stays finite.
  const step = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(failures - 1, 30));
  const roll = Math.min(Math.max(random(), 0), 1);
  return Math.round(step / 2 + (step / 2) * roll);
}
