import { CounterError } from '../app/errors';

export type LedgerErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'invalid-transition'
  | 'conflict'
  /** The sale has money taken on it: it cannot be cancelled (take the rest, or refund outside Counter). */
  | 'partly-paid'
  /** The sale waits for its tip: no tender can be taken until it is chosen (or "no tip"). */
  | 'tip-pending'
  /** A refund of more than the sale can still refund (what was taken less what was handed back). */
  | 'too-much'
  /** Cash leaves the drawer (a cash refund): a shift must be open. */
  | 'no-shift'
  /** A refund sent back by Code or another way says where it went. */
  | 'note-needed'
  | 'newer-schema'
  | 'edited-migration'
  | 'not-a-database'
  | 'closed'
  | 'busy';

/** Every failure the ledger reports; a call that throws one has written nothing. */
export class LedgerError extends CounterError {
  override readonly name = 'LedgerError';
  declare readonly code: LedgerErrorCode;
  constructor(
    code: LedgerErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(code, message);
  }
}
