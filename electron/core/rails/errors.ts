import { CounterError } from '../app/errors';

export type RailErrorCode =
  /** No connection, or no answer in time. */
  | 'sequencer-unreachable'
  /** An answer that was an error, or could not be read. */
  | 'sequencer-error'
  /** The sequencer refused this payment request. */
  | 'sequencer-rejected'
  | 'invalid-destination';

/** A payment rail call that failed; `message` is written for the cashier. */
export class RailError extends CounterError {
  override readonly name = 'RailError';
  declare readonly code: RailErrorCode;
  /** What the sequencer itself said when it refused (e.g. "usd currency has a maximum amount of 1.00"), when it said anything. */
  readonly refusal: string | null;
  constructor(code: RailErrorCode, message: string, options: { cause?: unknown; refusal?: string | null } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.refusal = options.refusal ?? null;
  }
}
