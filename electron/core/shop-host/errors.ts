import { CounterError } from '../app/errors';

export type ShopHostErrorCode =
  /** Another program (or another Counter) already listens on the shop database's port. */
  | 'port-in-use'
  /** The host's folder, certificate or data could not be made or read. */
  | 'host-files'
  /** PostgreSQL did not start (its last log lines are in the message). */
  | 'start-failed'
  /** The password for the other tills is empty or unusable. */
  | 'bad-password';

/** A failure of this till hosting the shop database, in words for the owner. */
export class ShopHostError extends CounterError {
  override readonly name = 'ShopHostError';
  declare readonly code: ShopHostErrorCode;
  constructor(code: ShopHostErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
