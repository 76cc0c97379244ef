import { CounterError } from '../app/errors';

export type PaymentsErrorCode =
  | 'invalid-input'
  | 'invalid-amount'
  | 'below-minimum'
  | 'unknown-currency'
  | 'no-destination'
  | 'invalid-destination'
  | 'sequencer-unreachable'
  | 'sequencer-error'
  | 'sequencer-rejected'
  | 'not-found'
  | 'invalid-transition'
  | 'ledger-error';

/** What the cashier is told when a charge or cancel fails: `message` is meant to be shown as is. */
export class PaymentsError extends CounterError {
  override readonly name = 'PaymentsError';
  declare readonly code: PaymentsErrorCode;
  constructor(code: PaymentsErrorCode, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}
