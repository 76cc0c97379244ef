import type Database from 'better-sqlite3';
import { isValidTimeZone } from '../../shared/domain/local-days';
import { openDatabase } from './db/open-database';
import { LedgerError } from './errors';
import { createAuditStore, type AuditStore } from './audit-store';
import { immediate } from './db/transaction';
import { createOutboxStore, type OutboxStore } from './outbox-store';
import { createPeopleStore, type PeopleStore } from './people-store';
import { createPrintStore, type PrintStore } from './print-store';
import { createRefundStore, type RefundStore } from './refund-store';
import { createSalesQueries, type SalesQueries } from './sales-queries';
import { createSalesStore, type SalesStore } from './sales-store';
import { createShiftStore, type ShiftStore } from './shift-store';

export type { ProofResult, SalesStore, TenderResult } from './sales-store';
export type { SalesQueries } from './sales-queries';
export type { ClaimedJob, PrintStore, QueueCounts } from './print-store';
export type { AuditInput, AuditStore } from './audit-store';
export type { RefundInput, RefundStore, VoidInput } from './refund-store';
export type { PeopleStore, PinState } from './people-store';
export type { ShiftConflict, ShiftFigures, ShiftReportBuilder, ShiftStore } from './shift-store';

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
 * through `queries`; the print queue keeps its jobs and the drawer openings
 * through `printing`. All share the one connection, and none reaches
 * through another.
 */
export type Ledger = SalesStore & {
  queries: SalesQueries;
  printing: PrintStore;
  /** The audit log (append-only): its entries may be written inside the other stores' transactions. */
  audit: AuditStore;
  /** Refunds against sales that took money, and voids of open sales (each with its audit entry). */
  refunds: RefundStore;
  /** The owner, managers and cashiers: PIN hashes and failed-PIN counters. */
  people: PeopleStore;
  /** Runs several stores' writes in one IMMEDIATE transaction (a settings change and its audit entry): all or none. */
  together<T>(fn: () => T): T;
  /** Shifts: opened with a counted float, closed with the counted cash and a frozen Z-report. */
  shifts: ShiftStore;
  /** The outbox the sync worker reads and acknowledges (the triggers of migration 12 fill it). */
  outbox: OutboxStore;
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

  const now = options.now ?? Date.now;
  const store = createSalesStore({ db, now, ensureOpen });
  const queries = createSalesQueries({ db, timeZone, ensureOpen });
  const printing = createPrintStore({ db, now, ensureOpen });
  const audit = createAuditStore({ db, now, ensureOpen });
  const refunds = createRefundStore({ db, now, ensureOpen, audit, getSale: (id) => store.getSale(id) });
  const people = createPeopleStore({ db, ensureOpen, audit });
  const shifts = createShiftStore({ db, now, ensureOpen, audit });
  const outbox = createOutboxStore({ db, now, ensureOpen });

  function close(): void {
    if (closed) return;
    closed = true;
    db.pragma('optimize');
    db.close();
  }

  const together = <T>(fn: () => T): T => {
    ensureOpen();
    return immediate(db, fn);
  };

  return { ...store, queries, printing, audit, refunds, people, together, shifts, outbox, timeZone, close, database: db };
}
