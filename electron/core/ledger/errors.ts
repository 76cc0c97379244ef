export type LedgerErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'invalid-transition'
  | 'conflict'
  | 'newer-schema'
  | 'not-a-database'
  | 'closed'
  | 'busy';

/** Every failure the ledger reports; a call that throws one has written nothing. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
