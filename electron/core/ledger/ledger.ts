import type Database from 'better-sqlite3';
import { isValidTimeZone } from '../../shared/domain/local-days';
import { openDatabase } from './db/open-database';
import { LedgerError } from './errors';
import { createSalesQueries, type SalesQueries } from './sales-queries';
import { createSalesStore, type SalesStore } from './sales-store';

export type { ProofResult, SalesStore, TenderResult } from './sales-store';
export type { SalesQueries } from './sales-queries';

export interface LedgerOptions {
  /** Directory that holds the database file (Electron's userData in the app). */
  dir: string;
  /** IANA zone of the shop, for day boundaries. Defaults to this machine's zone. */
  timeZone?: string;
  now?: () => number;
}

/**
 * The sales ledger: one SQLite file holding every sale, every proof of
 * payment and the settings. The store's writes and single-sale reads sit on
 * the ledger itself (what the payment flow calls); the owner's screens read
 * through `queries`. Both share the one connection, and neither reaches
 * through the other.
 */
export type Ledger = SalesStore & {
  queries: SalesQueries;
  timeZone: string;
  close(): void;
  /** For diagnostics, the bench and tests only (integrity checks, file size, raw fills). */
  database: Database.Database;
};

export function createLedger(options: LedgerOptions): Ledger {
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isValidTimeZone(timeZone)) throw new LedgerError('invalid-input', `Unknown time zone "${String(timeZone)}"`);
  const db = openDatabase(options.dir);
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new LedgerError('closed', 'The sales ledger is closed');
  };

  const store = createSalesStore({ db, now: options.now ?? Date.now, ensureOpen });
  const queries = createSalesQueries({ db, timeZone, ensureOpen });

  function close(): void {
    if (closed) return;
    closed = true;
    db.pragma('optimize');
    db.close();
  }

  return { ...store, queries, timeZone, close, database: db };
}
