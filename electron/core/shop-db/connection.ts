import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ShopDbError } from './errors';

/**
 * The shop database's URL, checked before anything connects.
 *
 * The rule: TLS unless the server is on this machine. Sales cross the
 * shop's network (or the internet) to reach PostgreSQL, so a URL naming
 * another host gets TLS with the certificate verified against the host
 * name, and a URL that asks for less (`sslmode=disable`, `allow`,
 * `prefer`) is refused with a clear error rather than quietly downgraded.
 * A loopback server (127.0.0.1, ::1, localhost) needs no TLS: nothing
 * leaves the machine.
 *
 * `sslmode` is honoured as libpq reads it: `require` encrypts without
 * checking the certificate (for a till hosting the database with a
 * self-signed one), `verify-ca` checks the chain only, `verify-full` (and
 * no sslmode, away from loopback) checks the chain and the host name;
 * `sslrootcert=<file>` names the CA to trust.
 *
 * The password is never in a message: every message shows redactUrl().
 */
export interface ShopDatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  /** false: no TLS (loopback only). */
  ssl: false | ConnectionOptions;
  loopback: boolean;
  /** The URL without its password, for messages and logs. */
  redacted: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];
/** Modes that may end up unencrypted. */
const WEAK_MODES: ReadonlySet<SslMode> = new Set(['disable', 'allow', 'prefer']);

/** The URL with its password replaced, even when it does not parse. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // user:password@ → user:***@ in whatever the string is.
    return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
  }
}

function invalid(redacted: string, why: string): never {
  throw new ShopDbError('invalid-url', `The shop database URL ${redacted} cannot be used: ${why}.`);
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}

export function parseShopDatabaseUrl(url: string): ShopDatabaseTarget {
  if (typeof url !== 'string' || !url.trim()) {
    throw new ShopDbError('invalid-url', 'The shop database URL is empty: give one like postgres://user:password@host:5432/shop.');
  }
  const redacted = redactUrl(url.trim());
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return invalid(redacted, 'it is not a URL (expected postgres://user:password@host:5432/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    invalid(redacted, `it starts with ${u.protocol}// where postgres:// or postgresql:// was expected`);
  }
  // URL keeps IPv6 hosts in brackets.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) invalid(redacted, 'it names no host');
  const port = u.port ? Number(u.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) invalid(redacted, `the port ${u.port} is not between 1 and 65535`);
  let database: string;
  try {
    database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  } catch {
    return invalid(redacted, 'the database name is not valid percent-encoding');
  }
  if (!database || database.includes('/')) invalid(redacted, 'it names no database (postgres://host:5432/<database>)');
  const user = decodeURIComponent(u.username);
  if (!user) invalid(redacted, 'it names no user (postgres://<user>:<password>@host/database)');
  const password = u.password ? decodeURIComponent(u.password) : undefined;

  const modeParam = u.searchParams.get('sslmode');
  if (modeParam !== null && !(SSL_MODES as readonly string[]).includes(modeParam)) {
    invalid(redacted, `sslmode=${modeParam} is not one of ${SSL_MODES.join(', ')}`);
  }
  const loopback = isLoopbackHost(host);
  const mode = modeParam as SslMode | null;
  if (!loopback && (mode === null ? false : WEAK_MODES.has(mode))) {
    throw new ShopDbError(
      'tls-required',
      `The shop database URL ${redacted} asks for sslmode=${mode}, but ${host} is not this machine: sales would cross the network unencrypted. Use sslmode=verify-full (or require for a self-signed certificate), or leave sslmode out.`,
    );
  }
  return { host, port, database, user, password, ssl: tlsOptions(u, mode, loopback, redacted), loopback, redacted };
}

function tlsOptions(u: URL, mode: SslMode | null, loopback: boolean, redacted: string): false | ConnectionOptions {
  if (mode === null ? loopback : WEAK_MODES.has(mode)) return false;
  const effective: SslMode = mode ?? 'verify-full';
  const options: ConnectionOptions = { rejectUnauthorized: effective !== 'require' };
  // verify-ca: the chain is checked, the name is not.
  if (effective === 'verify-ca') options.checkServerIdentity = () => undefined;
  const rootCert = u.searchParams.get('sslrootcert');
  if (rootCert) {
    try {
      options.ca = readFileSync(rootCert, 'utf8');
    } catch (error) {
      invalid(redacted, `the CA file sslrootcert=${rootCert} cannot be read (${(error as Error).message})`);
    }
  }
  return options;
}
