// Every answer across the boundary is an envelope, so the renderer shows a
// clear message and never meets an unhandled rejection.

export interface ApiError {
  /** Machine-readable, kebab-case: 'invalid-input', 'partly-paid', 'sequencer-unreachable', … */
  code: string;
  /** Meant for the person at the till, shown as is. */
  message: string;
  /** Per-field messages for forms (settings). */
  fields?: Record<string, string>;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };
