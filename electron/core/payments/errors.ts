import { CounterError } from '../app/errors';

export type PaymentsErrorCode =
  | 'invalid-input'
  | 'invalid-amount'
  | 'unknown-currency'
  | 'no-destination'
  | 'invalid-destination'
  | 'not-found'
  | 'invalid-transition'
  /** A cancel of a sale some tenders already paid: the money is taken, the rest must be too. */
  | 'partly-paid'
  /** The sale waits for its tip: it takes no tender until the tip (or "no tip") is chosen. */
  | 'tip-pending'
  | 'ledger-error';

/** What the cashier is told when a charge, a tender or a cancel fails: `message` is meant to be shown as is. */
export class PaymentsError extends CounterError {
  override readonly name = 'PaymentsError';
  declare readonly code: PaymentsErrorCode;
  constructor(code: PaymentsErrorCode, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}
