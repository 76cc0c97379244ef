import type Database from 'better-sqlite3';
import { LedgerError } from '../errors';

/**
 * Runs `fn` in a BEGIN IMMEDIATE transaction, so its reads and writes see no
 * other writer in between; a writer still busy after the busy timeout
 * becomes LedgerError('busy') and nothing was written. Called inside another
 * transaction it becomes a savepoint of that one (better-sqlite3's nesting).
 */
export function immediate<T>(db: Database.Database, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'))) {
      throw new LedgerError('busy', 'The sales ledger is busy with another writer; nothing was written. Try again.', error);
    }
    throw error;
  }
}
