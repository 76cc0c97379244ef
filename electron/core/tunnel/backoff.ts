// Capped exponential back-off with symmetric jitter, for restarting cloudflared.
//
// Jitter keeps many tills behind one shop router from hammering
// api.trycloudflare.com in lock-step after a shared outage; the cap keeps a
// till that was offline all night from waiting more than a few minutes once
// the line comes back.

export type BackoffOptions = {
  /** First delay. */
  initialMs: number;
  /** No delay is ever longer than this, jitter included. */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Fraction of the delay added or removed at random: 0.2 means ±20%. */
  jitter: number;
};

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 1_000,
  maxMs: 5 * 60_000,
  factor: 2,
  jitter: 0.2,
};

/**
 * The delay before retry number `attempt` (0-based), given a uniform random
 * number in [0, 1). Pure, so tests can pin the bounds exactly.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** attempt);
  const jittered = base * (1 + options.jitter * (2 * random - 1));
  return Math.max(0, Math.min(options.maxMs, Math.round(jittered)));
}

export interface Backoff {
  /** The next delay; each call counts as one more failed attempt. */
  next(): number;
  /** After a healthy run: the next failure waits the initial delay again. */
  reset(): void;
  /** How many delays have been handed out since the last reset. */
  attempts(): number;
}

export function createBackoff(options: Partial<BackoffOptions> = {}, random: () => number = Math.random): Backoff {
  const opts: BackoffOptions = { ...DEFAULT_BACKOFF, ...options };
  if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs) || !(opts.factor >= 1) || !(opts.jitter >= 0 && opts.jitter < 1)) {
    throw new RangeError(`backoff: invalid options ${JSON.stringify(opts)}`);
  }
  let exponent = 0;
  let handedOut = 0;
  return {
    next() {
      const delay = backoffDelay(exponent, opts, random());
      handedOut += 1;
      // Past the cap the exponent is pointless; stop it growing toward Infinity.
      if (opts.initialMs * opts.factor ** exponent < opts.maxMs) exponent += 1;
      return delay;
    },
    reset() {
      exponent = 0;
      handedOut = 0;
    },
    attempts() {
      return handedOut;
    },
  };
}
