import { ShopDbError, type ShopDbErrorCode } from './errors';

/**
 * What went wrong talking to PostgreSQL, in words, as a ShopDbError. The
 * split that matters to the sync worker and the status bar: the server
 * could not be reached (try again later), it refused the login, TLS
 * failed, or it refused the batch. No message carries the password: the
 * URL is always the redacted one, and neither pg nor PostgreSQL put the
 * password in theirs.
 */

/** Socket-level failures: the network or the server is away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
/** SQLSTATEs meaning the server is going, gone, or not ready: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections. */
const SERVER_AWAY = new Set(['57P01', '57P02', '57P03', '53300']);
/** pg's own words for a connection that ended or never came. */
const DROPPED = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|not queryable/i;
const TLS = /SSL|TLS|certificate|self[- ]signed|altnames|UNABLE_TO_VERIFY|CERT_/i;

export function classifyPgError(error: unknown): ShopDbErrorCode {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (code === '28P01' || code === '28000') return 'auth-failed';
  if (NETWORK_CODES.has(code) || SERVER_AWAY.has(code) || code.startsWith('08') || DROPPED.test(message)) return 'unreachable';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || (!/^[0-9A-Z]{5}$/.test(code) && TLS.test(message))) return 'tls-failed';
  return 'push-failed';
}

const WHY: Record<string, string> = {
  'auth-failed': 'the server refused the user name or password',
  'tls-failed': 'the TLS connection failed',
  unreachable: 'the server could not be reached',
};

export function toShopDbError(error: unknown, where: string, what: string): ShopDbError {
  if (error instanceof ShopDbError) return error;
  const code = classifyPgError(error);
  const reason = error instanceof Error ? error.message : String(error);
  const why = WHY[code] ?? 'the server refused it';
  // A push is retried by the worker; a read (the shop view) is the owner's to try again.
  const retry = code !== 'unreachable' ? '' : what === 'read from' ? ' This till’s own sales are still here: choose This till.' : ' Counter keeps the sales on this till and tries again.';
  return new ShopDbError(code, `Could not ${what} the shop database at ${where}: ${why} (${reason}).${retry}`, { cause: error });
}
