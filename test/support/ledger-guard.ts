import { expect } from 'vitest';
import { LedgerError } from '../../electron/core/ledger/errors';
import type { Ledger } from '../../electron/core/ledger/ledger';
import type { Sale } from '../../electron/shared/domain/sale';
import { rollupFromSales, salesDisagreeingWithTenders, storedRollup } from './rollup';

/** The error of class `type` that `fn` throws; the test fails if it throws nothing or something else. */
export function caughtAs<E extends Error>(type: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    expect(error, `expected a ${type.name}`).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}, and nothing was thrown`);
}

/** The error of class `type` that `promise` rejects with; the test fails if it resolves or rejects with something else. */
export async function rejectedAs<E extends Error>(type: abstract new (...args: never[]) => E, promise: Promise<unknown>): Promise<E> {
  const outcome = await promise.then(
    () => ({ rejected: false as const }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) throw new Error(`expected a ${type.name}, and the promise resolved`);
  expect(outcome.error, `expected a ${type.name}`).toBeInstanceOf(type);
  return outcome.error as E;
}

/** The LedgerError `fn` throws; the test fails if it throws nothing or something else. */
export const caughtLedgerError = (fn: () => unknown): LedgerError => caughtAs(LedgerError, fn);

/** Every table a rejected call must leave as it was (the people, shifts, refunds and audit log too, from schema 11). */
export function ledgerSnapshot(ledger: Ledger) {
  const db = ledger.database;
  const hasTable = (name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  const ifTable = (name: string, order: string) => (hasTable(name) ? db.prepare(`SELECT * FROM ${name} ORDER BY ${order}`).all() : null);
  return {
    people: ifTable('people', 'id'),
    shifts: ifTable('shifts', 'id'),
    refunds: ifTable('refunds', 'id'),
    audit: ifTable('audit_log', 'id'),
    sales: db.prepare('SELECT * FROM sales ORDER BY id').all(),
    tenders: db.prepare('SELECT * FROM tenders ORDER BY id').all(),
    events: db.prepare('SELECT * FROM payment_events ORDER BY id').all(),
    settings: db.prepare('SELECT * FROM settings ORDER BY key').all(),
    rollup: db.prepare('SELECT * FROM sales_rollup ORDER BY mode, bucket, currency, state').all(),
    migrations: db.prepare('SELECT * FROM schema_migrations ORDER BY version').all(),
    printJobs: db.prepare('SELECT * FROM print_jobs ORDER BY id').all(),
    drawerOpenings: db.prepare('SELECT * FROM drawer_openings ORDER BY id').all(),
  };
}

/**
 * Runs `call` with a ledger whose every method (its queries' too) first
 * snapshots the file, and expects a LedgerError with `code` (and `message`):
 * the file must be exactly as it was just before the failing call. Cases
 * that set up state first are fine, since the snapshot is retaken before
 * every call.
 */
export function expectRefusedWithoutWrites(ledger: Ledger, call: (guarded: Ledger) => unknown, code: LedgerError['code'], message?: RegExp): void {
  let before: ReturnType<typeof ledgerSnapshot> | undefined;
  const guard = <T extends object>(object: T): T =>
    new Proxy(object, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'queries' || prop === 'refunds' || prop === 'printing') return guard(value as object);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          before = ledgerSnapshot(ledger);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const error = caughtLedgerError(() => call(guard(ledger)));
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  expect(before, 'the call never reached the ledger').toBeDefined();
  expect(ledgerSnapshot(ledger)).toEqual(before);
}

/** Every invariant the store keeps, checked against the file itself: each sale agrees with its tenders, and the rollup with the sales. */
export function expectConsistent(ledger: Ledger): void {
  expect(salesDisagreeingWithTenders(ledger.database)).toEqual([]);
  expect(storedRollup(ledger.database)).toEqual(rollupFromSales(ledger.database));
}

/** Every sale of the ledger, newest first, read page by page through the sales log's own query. */
export function allSales(ledger: Ledger): Sale[] {
  const sales: Sale[] = [];
  for (let page = ledger.queries.listSales({ mode: 'all' }, { limit: 500 }); ; ) {
    sales.push(...page.sales);
    if (!page.nextCursor) return sales;
    page = ledger.queries.listSales({ mode: 'all' }, { limit: 500, cursor: page.nextCursor });
  }
}
