/**
 * How long a person waits after wrong PINs, and when they are locked out.
 * A 4-digit PIN is guessed in 5,000 tries on average: two free mistakes
 * (fat fingers), then a wait that doubles from 5 s, and 30 minutes locked out
 * at the tenth wrong PIN in a row, which keeps a stranger at the till to a
 * few dozen guesses a day. The counters live in the `people` row, so a
 * restart changes nothing.
 */
export const PIN_POLICY = {
  /** Wrong PINs that cost nothing. */
  freeTries: 2,
  /** The wait after the first wrong PIN past the free ones; it doubles with each further one. */
  firstWaitMs: 5_000,
  /** Wrong PINs in a row that lock the person out. */
  lockoutAfter: 10,
  lockoutMs: 30 * 60_000,
} as const;

/** The wait before the next try is accepted, after `failedPins` wrong PINs in a row: 0, 0, 5 s, 10 s, 20 s, … */
export function waitAfter(failedPins: number): number {
  if (failedPins <= PIN_POLICY.freeTries) return 0;
  return Math.min(PIN_POLICY.firstWaitMs * 2 ** (failedPins - PIN_POLICY.freeTries - 1), PIN_POLICY.lockoutMs);
}

/**
 * When the wrong PIN just recorded (the `failedPins`-th in a row) locks the
 * person out, until when. Once at the threshold, every further wrong PIN
 * locks again (the count only resets on a good PIN or a new PIN set by the
 * owner), so waiting out a lockout buys one guess, not ten.
 */
export function lockoutAfterFailure(failedPins: number, at: number): number | null {
  return failedPins >= PIN_POLICY.lockoutAfter ? at + PIN_POLICY.lockoutMs : null;
}

/** What stops a try right now, before the PIN is even looked at. */
export type PinBlock = { kind: 'locked-out'; until: number } | { kind: 'wait'; ms: number } | null;

export function pinBlock(state: { failedPins: number; lastFailedAt: number | null; lockedUntil: number | null }, now: number): PinBlock {
  if (state.lockedUntil !== null && now < state.lockedUntil) return { kind: 'locked-out', until: state.lockedUntil };
  if (state.lastFailedAt !== null) {
    const ready = state.lastFailedAt + waitAfter(state.failedPins);
    if (now < ready) return { kind: 'wait', ms: ready - now };
  }
  return null;
}

/** "20 s", "2 min", "30 min": a wait in words, rounded up. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
