import type Database from 'better-sqlite3';
import { z } from 'zod';
import { formatMoney, MAX_AMOUNT_HUNDREDTHS } from '../../shared/domain/money';
import type { Actor } from '../../shared/domain/people';
import type { RefundMethod } from '../../shared/domain/refund';
import { MODES, type TenderKind } from '../../shared/domain/sale';
import type { Shift, ShiftReport } from '../../shared/domain/shift';
import type { AuditStore } from './audit-store';
import { immediate } from './db/transaction';
import { LedgerError } from './errors';
import { actorInput, currencyInput, positiveId } from './input-schemas';
import { parseInput as parse } from './parse-input';

/**
 * Shifts (migration 11): a till's cash drawer between a counted float and a
 * counted close. The schema keeps at most one open (a partial unique index)
 * and a closed one unchanged (a trigger); this store opens and closes them,
 * each with its audit entry in the same transaction, and reads the raw
 * figures a Z-report is built from.
 *
 * The report itself is assembled outside the ledger (core/shifts/shift-report.ts)
 * and handed to `close` as a function, so it is worked out inside the close's
 * own IMMEDIATE transaction: no sale, tender or refund can land between the
 * figures and the row that freezes them.
 */

const MAX_PAGE = 100;

const hundredths = z.number().int('must be a whole number of hundredths').min(0, 'cannot be negative').max(MAX_AMOUNT_HUNDREDTHS);
const actor = actorInput;
const currency = currencyInput;
const openInput = z.object({ mode: z.enum(MODES), currency, by: actor, float: hundredths }).strict();
const closeInput = z.object({ by: actor, countedCash: hundredths, shiftId: positiveId.optional() }).strict();
const listInput = z.object({ limit: z.number().int().min(1).max(MAX_PAGE), beforeId: positiveId.optional() }).strict();

interface ShiftRow {
  id: number;
  mode: Shift['mode'];
  currency: string;
  opened_by: number;
  opened_by_name: string | null;
  opened_at: number;
  float_amount: number;
  closed_by: number | null;
  closed_by_name: string | null;
  closed_at: number | null;
  counted_cash: number | null;
  expected_cash: number | null;
  report: string | null;
}

/** The shifts columns, with the people's names as they are now. */
const SHIFT_COLUMNS = `id, mode, currency, opened_by, (SELECT name FROM people WHERE id = opened_by) AS opened_by_name, opened_at, float_amount,
  closed_by, (SELECT name FROM people WHERE id = closed_by) AS closed_by_name, closed_at, counted_cash, expected_cash, report`;

const toShift = (r: ShiftRow): Shift => ({
  id: r.id,
  mode: r.mode,
  currency: r.currency,
  openedAt: r.opened_at,
  openedBy: { id: r.opened_by, name: r.opened_by_name ?? '' },
  floatAmount: r.float_amount,
  closedAt: r.closed_at,
  closedBy: r.closed_by === null ? null : { id: r.closed_by, name: r.closed_by_name ?? '' },
  countedCash: r.counted_cash,
  expectedCash: r.expected_cash,
});

/**
 * What the ledger holds about one shift, summed in SQL, before any of it is
 * shaped into a Z-report. Sales are those rung up on the shift
 * (`sales.shift_id`); all but `otherCurrencySales` are in the shift's currency.
 */
export interface ShiftFigures {
  /** Sales per stored status (pending covers partly paid), with how many of them were voided. */
  salesByStatus: Array<{ status: 'pending' | 'paid' | 'cancelled' | 'expired'; count: number; voided: number }>;
  otherCurrencySales: number;
  /** Every paid tender of the shift's sales, whatever the sale's state, by kind: amount (cash net of change) and change. */
  takenByKind: Array<{ kind: TenderKind; amount: number; change: number }>;
  /** The paid "other" tenders by label. */
  otherByLabel: Array<{ label: string; amount: number }>;
  /** Tips of the paid sales, and how many paid sales had one. */
  tips: { amount: number; count: number };
  /** Refunds made while the shift was open (`refunds.shift_id`), in its currency, by method. */
  refunds: Array<{ method: RefundMethod; count: number; amount: number }>;
  drawerOpenings: Array<{ reason: 'cash' | 'no-sale'; count: number }>;
  firstSaleAt: number | null;
  lastSaleAt: number | null;
  /** Per person who rang sales up (null: nobody signed in), their name now, sales and what was taken on them. */
  people: Array<{ id: number | null; name: string | null; sales: number; taken: number }>;
}

/** Builds the Z-report from a shift (closed or not) and its figures at `at`. */
export type ShiftReportBuilder = (shift: Shift, figures: ShiftFigures, at: number) => ShiftReport;

export interface ShiftOpenInput {
  mode: Shift['mode'];
  currency: string;
  by: Actor;
  /** The counted cash the drawer starts with, hundredths. */
  float: number;
}

export interface ShiftCloseInput {
  by: Actor;
  countedCash: number;
  /** Close only if this is the shift still open (the caller checked who may close it). */
  shiftId?: number;
}

/** Why a close or an open was refused, for the service to turn into its own code. */
export type ShiftConflict =
  | { reason: 'shift-open'; shiftId: number }
  | { reason: 'open-sales'; sales: Array<{ id: number; partlyPaid: boolean }> }
  | { reason: 'not-open-shift'; shiftId: number };

export interface ShiftStoreOptions {
  db: Database.Database;
  now: () => number;
  ensureOpen: () => void;
  audit: AuditStore;
}

export type ShiftStore = ReturnType<typeof createShiftStore>;

export function createShiftStore({ db, now, ensureOpen, audit }: ShiftStoreOptions) {
  const stmt = {
    insert: db.prepare(
      `INSERT INTO shifts (mode, currency, opened_by, opened_at, float_amount) VALUES (@mode, @currency, @openedBy, @at, @float)`,
    ),
    byId: db.prepare(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE id = ?`),
    open: db.prepare(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE closed_at IS NULL`),
    page: db.prepare(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE id < @before ORDER BY id DESC LIMIT @limit`),
    close: db.prepare(
      `UPDATE shifts SET closed_by = @by, closed_at = @at, counted_cash = @counted, expected_cash = @expected, report = @report
       WHERE id = @id AND closed_at IS NULL`,
    ),
    openSales: db.prepare(`SELECT id, paid_amount FROM sales WHERE shift_id = ? AND status = 'pending' ORDER BY id`),
    salesByStatus: db.prepare(
      `SELECT status, count(*) AS count, count(voided_at) AS voided FROM sales
       WHERE shift_id = @id AND currency = @currency GROUP BY status ORDER BY status`,
    ),
    otherCurrencySales: db.prepare(`SELECT count(*) AS n FROM sales WHERE shift_id = @id AND currency <> @currency`),
    takenByKind: db.prepare(
      `SELECT t.kind AS kind, sum(t.amount) AS amount, coalesce(sum(t.change), 0) AS change
       FROM sales s JOIN tenders t ON t.sale_id = s.id
       WHERE s.shift_id = @id AND s.currency = @currency AND t.status = 'paid' GROUP BY t.kind ORDER BY t.kind`,
    ),
    otherByLabel: db.prepare(
      `SELECT t.label AS label, sum(t.amount) AS amount
       FROM sales s JOIN tenders t ON t.sale_id = s.id
       WHERE s.shift_id = @id AND s.currency = @currency AND t.status = 'paid' AND t.kind = 'other'
       GROUP BY t.label ORDER BY amount DESC, t.label`,
    ),
    tips: db.prepare(
      `SELECT coalesce(sum(tip_amount), 0) AS amount, coalesce(sum(tip_amount > 0), 0) AS count FROM sales
       WHERE shift_id = @id AND currency = @currency AND status = 'paid'`,
    ),
    refunds: db.prepare(
      `SELECT method, count(*) AS count, sum(amount) AS amount FROM refunds
       WHERE shift_id = @id AND currency = @currency GROUP BY method ORDER BY method`,
    ),
    drawerOpenings: db.prepare(`SELECT reason, count(*) AS count FROM drawer_openings WHERE shift_id = @id GROUP BY reason ORDER BY reason`),
    span: db.prepare(
      `SELECT min(created_at) AS first, max(created_at) AS last FROM sales WHERE shift_id = @id AND currency = @currency`,
    ),
    people: db.prepare(
      `SELECT s.person_id AS id, (SELECT name FROM people WHERE id = s.person_id) AS name, count(*) AS sales,
         coalesce(sum((SELECT sum(t.amount) FROM tenders t WHERE t.sale_id = s.id AND t.status = 'paid')), 0) AS taken
       FROM sales s WHERE s.shift_id = @id AND s.currency = @currency GROUP BY s.person_id ORDER BY s.person_id`,
    ),
  };

  function write<T>(fn: () => T): T {
    ensureOpen();
    return immediate(db, fn);
  }

  const money = (hundredths: number, code: string) => formatMoney(hundredths, code);

  function rowOf(id: number): ShiftRow {
    const row = stmt.byId.get(id) as ShiftRow | undefined;
    if (!row) throw new LedgerError('not-found', `No shift #${id}.`);
    return row;
  }

  /** Opens a shift with its counted float, and audits it; refused while another is open. */
  function open(input: ShiftOpenInput): Shift {
    const o = parse(openInput, input, 'shift');
    return write(() => {
      const already = stmt.open.get() as ShiftRow | undefined;
      if (already) throw alreadyOpen(already);
      let id: number;
      try {
        id = Number(stmt.insert.run({ mode: o.mode, currency: o.currency, openedBy: o.by.id, at: now(), float: o.float }).lastInsertRowid);
      } catch (error) {
        // Another connection opened one between the read and the insert: the index is the last word.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          const other = stmt.open.get() as ShiftRow | undefined;
          if (other) throw alreadyOpen(other);
        }
        throw error;
      }
      const shift = toShift(rowOf(id));
      audit.append({
        action: 'shift-opened',
        actor: o.by,
        summary: `Shift #${id} opened by ${o.by.name} with a float of ${money(o.float, o.currency)} (${o.mode})`,
        detail: { float: o.float, mode: o.mode, currency: o.currency },
        shiftId: id,
      });
      return shift;
    });
  }

  function alreadyOpen(row: ShiftRow): LedgerError {
    const conflict: ShiftConflict = { reason: 'shift-open', shiftId: row.id };
    return new LedgerError('conflict', `Shift #${row.id} (opened by ${row.opened_by_name ?? 'someone'}) is still open: close it first.`, conflict);
  }

  /** The open shift, or null. */
  function current(): Shift | null {
    ensureOpen();
    const row = stmt.open.get() as ShiftRow | undefined;
    return row ? toShift(row) : null;
  }

  function get(shiftId: unknown): Shift {
    ensureOpen();
    return toShift(rowOf(parse(positiveId, shiftId, 'shift id')));
  }

  /** The report frozen at the close; null while the shift is open. */
  function keptReport(shiftId: unknown): ShiftReport | null {
    ensureOpen();
    const row = rowOf(parse(positiveId, shiftId, 'shift id'));
    return row.report === null ? null : (JSON.parse(row.report) as ShiftReport);
  }

  /** Newest first; `beforeId` is the last id of the page before. */
  function list(options: unknown): Shift[] {
    ensureOpen();
    const p = parse(listInput, options, 'shift list');
    return (stmt.page.all({ before: p.beforeId ?? Number.MAX_SAFE_INTEGER, limit: p.limit }) as ShiftRow[]).map(toShift);
  }

  /** The raw figures of one shift now (read in the caller's transaction when there is one). */
  function figures(shiftId: unknown): ShiftFigures {
    ensureOpen();
    const row = rowOf(parse(positiveId, shiftId, 'shift id'));
    return figuresOf(row);
  }

  function figuresOf(row: ShiftRow): ShiftFigures {
    const key = { id: row.id, currency: row.currency };
    const span = stmt.span.get(key) as { first: number | null; last: number | null };
    return {
      salesByStatus: stmt.salesByStatus.all(key) as ShiftFigures['salesByStatus'],
      otherCurrencySales: (stmt.otherCurrencySales.get(key) as { n: number }).n,
      takenByKind: stmt.takenByKind.all(key) as ShiftFigures['takenByKind'],
      otherByLabel: stmt.otherByLabel.all(key) as ShiftFigures['otherByLabel'],
      tips: stmt.tips.get(key) as ShiftFigures['tips'],
      refunds: stmt.refunds.all(key) as ShiftFigures['refunds'],
      drawerOpenings: stmt.drawerOpenings.all(key) as ShiftFigures['drawerOpenings'],
      firstSaleAt: span.first,
      lastSaleAt: span.last,
      people: stmt.people.all(key) as ShiftFigures['people'],
    };
  }

  /**
   * Closes the open shift with the counted cash, in one transaction:
   * 1. refused while any sale rung up on it is open (pending or partly paid),
   *    naming them, since their money is not settled;
   * 2. the Z-report worked out from the figures as they stand;
   * 3. the row frozen with who closed it, when, the counted and expected
   *    cash and the report (the trigger keeps it so from then on);
   * 4. the audit entry, with what was over or short.
   * Answers the frozen report.
   */
  function close(input: ShiftCloseInput, build: ShiftReportBuilder): ShiftReport {
    const c = parse(closeInput, input, 'shift close');
    return write(() => {
      const row = stmt.open.get() as ShiftRow | undefined;
      if (!row) throw new LedgerError('not-found', 'No shift is open.');
      if (c.shiftId !== undefined && row.id !== c.shiftId) {
        const conflict: ShiftConflict = { reason: 'not-open-shift', shiftId: c.shiftId };
        throw new LedgerError('conflict', `Shift #${c.shiftId} is not the open shift (#${row.id} is).`, conflict);
      }

      // 1.
      const open = stmt.openSales.all(row.id) as Array<{ id: number; paid_amount: number }>;
      if (open.length) {
        const conflict: ShiftConflict = { reason: 'open-sales', sales: open.map((s) => ({ id: s.id, partlyPaid: s.paid_amount > 0 })) };
        const named = open.map((s) => `#${s.id} (${s.paid_amount > 0 ? 'partly paid' : 'waiting for payment'})`).join(', ');
        const what = open.length === 1 ? `Sale ${named} is still open` : `Sales ${named} are still open`;
        throw new LedgerError('conflict', `${what}: cancel or finish ${open.length === 1 ? 'it' : 'them'} before closing the shift.`, conflict);
      }

      // 2.
      const at = now();
      const closing: Shift = {
        ...toShift(row),
        closedAt: at,
        closedBy: { id: c.by.id, name: c.by.name },
        countedCash: c.countedCash,
        expectedCash: null,
      };
      const report = build(closing, figuresOf(row), at);
      const expected = report.cash.expected;

      // 3.
      stmt.close.run({ id: row.id, by: c.by.id, at, counted: c.countedCash, expected, report: JSON.stringify(report) });

      // 4.
      const overShort = c.countedCash - expected;
      const verdict = overShort === 0 ? 'even' : overShort > 0 ? `over ${money(overShort, row.currency)}` : `short ${money(-overShort, row.currency)}`;
      audit.append({
        action: 'shift-closed',
        actor: c.by,
        summary: `Shift #${row.id} closed by ${c.by.name}: counted ${money(c.countedCash, row.currency)}, expected ${money(expected, row.currency)}, ${verdict}`,
        detail: {
          counted: c.countedCash,
          expected,
          overShort,
          currency: row.currency,
          taken: report.taken.total,
          refunds: report.refunds.total,
          net: report.net,
          sales: report.sales.count,
        },
        shiftId: row.id,
      });
      return report;
    });
  }

  return { open, current, get, list, figures, keptReport, close };
}
