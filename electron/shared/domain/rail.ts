// Whether a payment rail (Code, or the sandbox standing in for it) can take
// payment requests right now, as the status bar and Settings show it.

export type RailHealth =
  /** The sequencer answered a payment-request call as the payment service does. */
  | { state: 'available'; checkedAt: number }
  /** It answered, but not as a payment service would (an error, an unknown service), or not at all in time. */
  | { state: 'unavailable'; reason: string; detail: string; checkedAt: number }
  /** Not checked yet, or the sequencer could not be reached (no connection). */
  | { state: 'unknown'; reason: string; checkedAt: number | null };

export type RailHealthState = RailHealth['state'];

/** "Code payments: available", "Code payments: unavailable (…)", "Code payments: unknown (offline)". */
export function railHealthText(health: RailHealth, sandbox = false): string {
  const name = sandbox ? 'Code payments (sandbox)' : 'Code payments';
  if (health.state === 'available') return `${name}: available`;
  return `${name}: ${health.state} (${health.reason})`;
}
