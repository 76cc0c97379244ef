import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LedgerError } from '../errors';
import { LATEST_VERSION, MIGRATIONS, type Migration } from '../migrations';

export const LEDGER_FILE_NAME = 'counter-ledger.sqlite3';

/** How long a writer waits for another connection's transaction before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (or creates) the ledger file in `dir`, refuses a file written by a
 * newer Counter before touching it, sets the durability pragmas and runs
 * every pending migration in one transaction.
 */
export function openDatabase(dir: string, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LEDGER_FILE_NAME);
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    // Read the version before any pragma that writes (journal_mode rewrites
    // the header), so a newer file is left exactly as it was.
    const current = readUserVersion(db);
    if (current > latest) {
      throw new LedgerError(
        'newer-schema',
        `The sales ledger at ${file} was written by a newer version of Counter (schema ${current}, this version knows up to ${latest}). Update Counter to open it; the file was not changed.`,
        { current, latest },
      );
    }
    applyPragmas(db);
    migrate(db, current, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function readUserVersion(db: Database.Database): number {
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new LedgerError('not-a-database', `The sales ledger file is not a SQLite database or is damaged: ${(error as Error).message}`);
    }
    throw error;
  }
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

function migrate(db: Database.Database, seen: number, migrations: readonly Migration[]): void {
  if (!migrations.some((m) => m.version > seen)) return;
  db.transaction(() => {
    // Another process may have migrated while this one waited for the lock:
    // only the version read inside the transaction counts.
    const current = readUserVersion(db);
    for (const migration of migrations.filter((m) => m.version > current)) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}

export { LATEST_VERSION };
