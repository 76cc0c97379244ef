import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SandboxError } from './errors';

/**
 * The sandbox sequencer's own SQLite file. It stands in for Code's servers,
 * whose payment requests and webhook schedule survive a crash, so it is kept
 * apart from the ledger: the ledger is the shop's record, this file is "what
 * Code knows". A fault campaign compares the two after killing the app.
 *
 * One small schema, versioned by `PRAGMA user_version`, created in one
 * transaction; there is no migration history yet because there is one
 * version. A file this build cannot read (not SQLite, damaged, a newer
 * version, someone else's tables) is refused with a SandboxError and left
 * exactly as it was: never silently replaced, since it holds acknowledged
 * payments.
 */

export const SANDBOX_DB_FILE = 'sandbox-sequencer.sqlite';
export const SANDBOX_DB_VERSION = 1;

/** How long a writer waits for another connection (the truth reader is read-only, so this is rare). */
const BUSY_TIMEOUT_MS = 5_000;

const SCHEMA_V1 = `
  -- One row per payment request. seq is the insertion order the capacity
  -- bound forgets from; id is the intent id (base58 rendezvous key).
  CREATE TABLE intents (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    amount        REAL    NOT NULL,
    currency      TEXT    NOT NULL,
    destination   TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'paid', 'cancelled')),
    webhook_url   TEXT,
    paid_at       INTEGER,
    quarks        INTEGER,
    exchange_rate REAL,
    cancelled_at  INTEGER,
    exact_rate    REAL,
    exact_quarks  INTEGER,
    fees_json     TEXT    NOT NULL DEFAULT '[]',
    CHECK ((state = 'paid') = (paid_at IS NOT NULL)),
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL))
  );

  -- One webhook per paid intent, as in the sequencer. next_attempt is the
  -- 1-based number of the attempt that runs at next_attempt_at (ms since
  -- epoch); both are NULL once the webhook is delivered or given up.
  -- attempts counts the attempts started. No foreign key: a scheduled
  -- delivery outlives its intent if the capacity bound forgets the intent.
  CREATE TABLE webhook_deliveries (
    intent_id       TEXT    PRIMARY KEY,
    url             TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('scheduled', 'delivered', 'failed')),
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt    INTEGER,
    next_attempt_at INTEGER,
    delivered_at    INTEGER,
    CHECK ((next_attempt IS NULL) = (next_attempt_at IS NULL))
  );
  CREATE INDEX webhook_deliveries_scheduled ON webhook_deliveries (next_attempt_at) WHERE state = 'scheduled';

  -- Finished attempts, newest kept (the store prunes to a bound).
  CREATE TABLE webhook_attempts (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    intent_id   TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    attempt     INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    status      INTEGER,
    error       TEXT,
    delivered   INTEGER NOT NULL CHECK (delivered IN (0, 1))
  );
  CREATE INDEX webhook_attempts_intent ON webhook_attempts (intent_id);
`;

const OWN_TABLES = ['intents', 'webhook_attempts', 'webhook_deliveries'];

export function sandboxDbPath(dataDir: string): string {
  return join(dataDir, SANDBOX_DB_FILE);
}

/**
 * Opens (or creates, mode 0600) the sandbox file, or an in-memory database
 * for `':memory:'` (tests and callers without a data directory: same code,
 * nothing survives). WAL with synchronous = FULL, so a commit that returned
 * is on disk: "acknowledged" means durable.
 */
export function openSandboxDatabase(file: string): Database.Database {
  const inMemory = file === ':memory:';
  if (!inMemory) createPrivately(file);
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS, fileMustExist: !inMemory });
  } catch (error) {
    throw corrupt(file, (error as Error).message, error);
  }
  try {
    // Read-only checks first: a refused file is left byte for byte as it was
    // (journal_mode = WAL would rewrite its header).
    const version = checkFile(db, file);
    if (!inMemory) db.pragma('journal_mode = WAL');
    // FULL: under NORMAL a WAL commit is not fsynced, and a power cut could
    // take back a payment the sandbox already acknowledged.
    db.pragma('synchronous = FULL');
    if (version === 0) {
      db.transaction(() => {
        db.exec(SCHEMA_V1);
        db.pragma(`user_version = ${SANDBOX_DB_VERSION}`);
      }).immediate();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** user_version of a file this build can use (0 = empty, to be created); throws on anything else. */
function checkFile(db: Database.Database, file: string): number {
  let version: number;
  let tables: string[];
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
  } catch (error) {
    throw corrupt(file, (error as Error).message, error);
  }
  if (version > SANDBOX_DB_VERSION) {
    throw new SandboxError(
      'sandbox-db-newer',
      `The sandbox file ${file} was written by a newer Counter (schema ${version}, this one knows ${SANDBOX_DB_VERSION}); it was not changed. Update Counter, or move the file away to start an empty sandbox.`,
    );
  }
  if (version === 0) {
    if (tables.length > 0) throw corrupt(file, `it has tables (${tables.join(', ')}) but no sandbox schema version`);
    return 0;
  }
  const missing = OWN_TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) throw corrupt(file, `tables missing: ${missing.join(', ')}`);
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((row) => row.quick_check).filter((r) => r !== 'ok');
  } catch (error) {
    throw corrupt(file, (error as Error).message, error);
  }
  if (problems.length > 0) throw corrupt(file, `integrity check: ${problems.slice(0, 3).join('; ')}`);
  return version;
}

function corrupt(file: string, why: string, cause?: unknown): SandboxError {
  return new SandboxError(
    'sandbox-db-corrupt',
    `The sandbox file ${file} cannot be used (${why}). It holds the sandbox's payments, so Counter did not replace it: move it away to start an empty sandbox.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * SQLite creates its files with the process umask (often 0644); the sandbox
 * file is created empty at 0600 first, which SQLite then adopts (its -wal and
 * -shm files copy the main file's mode). An existing looser file is tightened.
 */
function createPrivately(file: string): void {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}
