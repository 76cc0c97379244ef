import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from '../../app/private-files';
import { checkSchema, LATEST_VERSION, MIGRATIONS, runMigrations, type Migration } from '../migrations';

export const LEDGER_FILE_NAME = 'counter-ledger.sqlite3';

/** How long a writer waits for another connection's transaction before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (or creates) the ledger file in `dir`, refuses a file written by a
 * newer Counter or with an edited schema step before touching it, sets the
 * durability pragmas and runs every pending migration in one transaction.
 */
export function openDatabase(dir: string, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  ensurePrivateDir(dir);
  const file = join(dir, LEDGER_FILE_NAME);
  createPrivately(file);
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // Read-only checks before any pragma that writes (journal_mode rewrites
    // the header), so a refused file is left exactly as it was.
    const state = checkSchema(db, migrations, file);
    applyPragmas(db);
    runMigrations(db, migrations, state, file);
    // SQLite gives -wal and -shm the main file's mode, but an install from
    // before this change has them 0644: tighten whatever is there now.
    makePrivate(file, `${file}-wal`, `${file}-shm`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The ledger file created 0600 before SQLite opens it (an empty file is a new
 * database to SQLite), so it is never readable by others, not even for the
 * moment between SQLite's create and a chmod; an existing one is tightened.
 */
function createPrivately(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  makePrivate(file);
}

/** Blocks the thread for `ms`: opening happens once, before the app serves anything. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Switching a new file to WAL needs a moment with no other connection in the
 * middle of its own open, and SQLite does not wait on the busy handler for
 * it: retry, for as long as the busy timeout allows.
 */
function enableWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      sleepSync(10 + Math.random() * 20);
    }
  }
}

function applyPragmas(db: Database.Database): void {
  enableWal(db);
  // FULL, not the NORMAL that better-sqlite3's build defaults to in WAL mode:
  // under NORMAL a committed sale can vanish on power loss because the WAL is
  // not fsynced at commit. A till commits a handful of rows a minute; the
  // fsync per commit is cheap insurance for the shop's takings.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Keep the WAL from growing without bound during a long export or bench.
  db.pragma('wal_autocheckpoint = 1000');
}

export { LATEST_VERSION };
