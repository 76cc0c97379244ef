import { CounterError } from '../app/errors';

export type ShopDbErrorCode =
  /** The URL is not a PostgreSQL URL Counter can use (scheme, host, port, database, sslmode). */
  | 'invalid-url'
  /** A server that is not on this machine, asked for without TLS. */
  | 'tls-required'
  /** The server could not be reached, or the connection dropped (the next push tries again). */
  | 'unreachable'
  /** The server refused the user name or password. */
  | 'auth-failed'
  /** The TLS handshake failed (no TLS on the server, a certificate that does not verify). */
  | 'tls-failed'
  /** The shop database was set up by a newer Counter than this one. */
  | 'newer-schema'
  /** A schema step recorded in the shop database differs from the one this Counter ships. */
  | 'edited-migration'
  /** A record of a batch cannot be stored (a missing column, a wrong type, a PIN hash): the batch wrote nothing. */
  | 'invalid-record'
  /** The server refused the batch for another reason: the batch wrote nothing. */
  | 'push-failed'
  /** This till has no shop database (the shop view asked for one). */
  | 'not-set'
  | 'closed';

/** Every failure of the shop database; a push that throws one has written nothing (or, for a dropped commit, maybe all of it). */
export class ShopDbError extends CounterError {
  override readonly name = 'ShopDbError';
  declare readonly code: ShopDbErrorCode;
  constructor(code: ShopDbErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
