import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import { ShopDbError } from './errors';
import { toShopDbError } from './pg-errors';

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
 * `certsha256=<fingerprint>` pins the server's certificate (a till hosting
 * the shop database with a self-signed one: ../shop-host/): TLS always,
 * even on loopback, and the certificate must be exactly that one; its
 * dates, chain and names are not what is checked. The fingerprint is hex
 * (64 digits, with or without colons between the bytes, any case). It goes
 * with sslmode verify-full, verify-ca, require or none: all four mean
 * "pinned" (libpq, too, treats require with a root certificate as
 * verify-ca); disable, allow and prefer contradict it and are refused, as
 * is sslrootcert (one trust anchor at a time). The names in a pinned
 * certificate are not checked: a till's address may change (DHCP) while
 * its certificate does not.
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
  /** certsha256, as Node's fingerprint256 shows it (colon-separated uppercase hex); ssl then has no CA until pinCertificate(). */
  pin?: string;
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
  const pinParam = u.searchParams.get('certsha256');
  if (pinParam !== null) {
    const pin = parseFingerprint(pinParam);
    if (!pin) invalid(redacted, 'certsha256 is not a SHA-256 fingerprint (64 hex digits, with or without colons between the bytes)');
    if (mode !== null && WEAK_MODES.has(mode)) invalid(redacted, `sslmode=${mode} contradicts certsha256, which always uses TLS (use sslmode=verify-full or leave it out)`);
    if (u.searchParams.has('sslrootcert')) invalid(redacted, 'it gives both certsha256 and sslrootcert: the pinned certificate is the only one trusted, so leave sslrootcert out');
    return { host, port, database, user, password, ssl: pinnedOptions(pin), loopback, redacted, pin };
  }
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

/** A SHA-256 fingerprint as Node's fingerprint256 writes it, or undefined when `text` is not one. */
export function parseFingerprint(text: string): string | undefined {
  const t = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(t) && !/^([0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2}$/.test(t)) return undefined;
  return t.replace(/:/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/**
 * Every connection of the pool is pinned, not only the pre-flight: the
 * fetched certificate is the only CA (so a self-signed one verifies), and
 * the identity check compares fingerprints instead of names. Node calls
 * checkServerIdentity only once the chain verified, hence the CA.
 */
function pinnedOptions(pin: string, ca?: string): ConnectionOptions {
  return {
    rejectUnauthorized: true,
    ...(ca === undefined ? {} : { ca }),
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      cert.fingerprint256 === pin ? undefined : mismatch(pin, cert.fingerprint256),
  };
}

function mismatch(pin: string, found: string | undefined, where?: string): ShopDbError {
  return new ShopDbError(
    'tls-failed',
    `The shop database's certificate is not the one in the address: the address pins ${pin}, but the server${where ? ` at ${where}` : ''} shows ${found ?? 'no certificate'}. Nothing was sent. If the hosting till made a new certificate, copy the address from it again; otherwise something on the network is posing as the shop database.`,
  );
}

/** PostgreSQL's SSLRequest: length 8, code 80877103 (1234 << 16 | 5679). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * The pre-flight of a pinned target: on a socket of its own, ask for TLS
 * the way PostgreSQL wants (SSLRequest, then 'S'), take the server's
 * certificate without judging its chain, and compare its fingerprint with
 * the pin. No startup message, user name or password is sent. A match
 * returns the target with that certificate as its only CA; a mismatch is
 * tls-failed. Used by connectShopDatabase() before its pool exists.
 */
export async function pinCertificate(target: ShopDatabaseTarget, timeoutMs: number): Promise<ShopDatabaseTarget> {
  const pin = target.pin;
  if (!pin) return target;
  const where = `${target.host}:${target.port}`;
  const pem = await new Promise<string>((resolve, reject) => {
    const socket = netConnect({ host: target.host, port: target.port });
    let secure: TLSSocket | undefined;
    let settled = false;
    const finish = (error: Error | undefined, value?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      secure?.destroy();
      socket.destroy();
      if (error) reject(error);
      else resolve(value as string);
    };
    const timer = setTimeout(
      () => finish(toShopDbError(new Error(`connection timeout: no TLS answer within ${timeoutMs} ms`), target.redacted, 'connect to')),
      timeoutMs,
    );
    const tlsFailed = (why: string) =>
      finish(new ShopDbError('tls-failed', `Could not connect to the shop database at ${target.redacted}: ${why}. Nothing was sent.`));
    socket.once('error', (error) => finish(toShopDbError(error, target.redacted, 'connect to')));
    socket.once('connect', () => socket.write(SSL_REQUEST));
    socket.once('data', (answer: Buffer) => {
      if (answer[0] !== 0x53 /* 'S' */) return tlsFailed('the server does not offer TLS, but the address pins its certificate (certsha256)');
      // Bytes after the 'S' came before the handshake: someone between us is injecting them (CVE-2021-23222).
      if (answer.length > 1) return tlsFailed('the server sent data before the TLS handshake');
      secure = tlsConnect({ socket, rejectUnauthorized: false, ...(isIP(target.host) ? {} : { servername: target.host }) });
      secure.once('error', (error) => tlsFailed(`the TLS handshake failed (${error.message})`));
      secure.once('secureConnect', () => {
        const cert = secure?.getPeerCertificate();
        if (!cert?.raw) return tlsFailed('the server showed no certificate');
        if (cert.fingerprint256 !== pin) return finish(mismatch(pin, cert.fingerprint256, where));
        finish(undefined, new X509Certificate(cert.raw).toString());
      });
    });
  });
  return { ...target, ssl: pinnedOptions(pin, pem) };
}
