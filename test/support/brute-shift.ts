import type Database from 'better-sqlite3';
import type { RefundMethod } from '../../electron/shared/domain/refund';
import type { Shift, ShiftReport } from '../../electron/shared/domain/shift';

/**
 * A shift's Z-report worked out by hand: every raw row of the tables read
 * with a plain `SELECT *`, then plain loops. No SQL aggregation and nothing
 * from the app's report code, so the tests can hold the ledger's figures
 * against it. The definitions are the Z-report's (core/shifts/shift-report.ts):
 * sales rung up on the shift in its currency; taken = their paid tenders;
 * refunds made while it was open, in its currency; expected cash = float +
 * cash taken − cash refunded.
 */

interface Row {
  [column: string]: unknown;
}

const NOBODY = 'Nobody signed in';

function rows(db: Database.Database, table: string): Row[] {
  return db.prepare(`SELECT * FROM ${table}`).all() as Row[];
}

/** `at`: when the report is worked out (the close time, for a closed shift). */
export function bruteShiftReport(db: Database.Database, shiftId: number, at: number): ShiftReport {
  const people = new Map<number, string>();
  for (const p of rows(db, 'people')) people.set(p.id as number, p.name as string);
  const s = rows(db, 'shifts').find((r) => r.id === shiftId);
  if (!s) throw new Error(`no shift ${shiftId}`);
  const currency = s.currency as string;
  const closed = s.closed_at !== null;

  const onShift = rows(db, 'sales').filter((r) => r.shift_id === shiftId);
  const mine = onShift.filter((r) => r.currency === currency);
  const ids = new Set(mine.map((r) => r.id as number));
  const tenders = rows(db, 'tenders').filter((t) => ids.has(t.sale_id as number) && t.status === 'paid');

  const sales = { count: 0, paidCount: 0, openCount: 0, cancelledCount: 0, expiredCount: 0, voidedCount: 0 };
  let tips = 0;
  let tippedCount = 0;
  let firstSaleAt: number | null = null;
  let lastSaleAt: number | null = null;
  for (const r of mine) {
    sales.count++;
    if (r.status === 'paid') {
      sales.paidCount++;
      tips += r.tip_amount as number;
      if ((r.tip_amount as number) > 0) tippedCount++;
    }
    if (r.status === 'pending') sales.openCount++;
    if (r.status === 'cancelled') sales.cancelledCount++;
    if (r.status === 'expired') sales.expiredCount++;
    if (r.voided_at !== null) sales.voidedCount++;
    const created = r.created_at as number;
    if (firstSaleAt === null || created < firstSaleAt) firstSaleAt = created;
    if (lastSaleAt === null || created > lastSaleAt) lastSaleAt = created;
  }

  const taken = { code: 0, cash: 0, other: 0, total: 0 };
  let changeGiven = 0;
  const labels = new Map<string, number>();
  const takenOnSale = new Map<number, number>();
  for (const t of tenders) {
    const amount = t.amount as number;
    taken[t.kind as 'code' | 'cash' | 'other'] += amount;
    taken.total += amount;
    if (t.kind === 'cash') changeGiven += t.change as number;
    if (t.kind === 'other') labels.set(t.label as string, (labels.get(t.label as string) ?? 0) + amount);
    takenOnSale.set(t.sale_id as number, (takenOnSale.get(t.sale_id as number) ?? 0) + amount);
  }
  const otherByLabel = [...labels].map(([label, amount]) => ({ label, amount }));
  otherByLabel.sort((a, b) => b.amount - a.amount || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));

  const byMethod: Record<RefundMethod, number> = { cash: 0, code: 0, other: 0 };
  let refundCount = 0;
  let refundTotal = 0;
  for (const r of rows(db, 'refunds')) {
    if (r.shift_id !== shiftId || r.currency !== currency) continue;
    refundCount++;
    refundTotal += r.amount as number;
    byMethod[r.method as RefundMethod] += r.amount as number;
  }

  const drawerOpenings = { cash: 0, noSale: 0 };
  for (const d of rows(db, 'drawer_openings')) {
    if (d.shift_id !== shiftId) continue;
    if (d.reason === 'cash') drawerOpenings.cash++;
    else drawerOpenings.noSale++;
  }

  const sellers = new Map<number | null, { id: number | null; name: string; sales: number; taken: number }>();
  for (const r of mine) {
    const id = r.person_id as number | null;
    const seller = sellers.get(id) ?? { id, name: id === null ? NOBODY : (people.get(id) ?? ''), sales: 0, taken: 0 };
    seller.sales++;
    seller.taken += takenOnSale.get(r.id as number) ?? 0;
    sellers.set(id, seller);
  }
  const peopleList = [...sellers.values()];
  peopleList.sort((a, b) => b.taken - a.taken || b.sales - a.sales || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id ?? 0) - (b.id ?? 0));

  const float = s.float_amount as number;
  const expected = float + taken.cash - byMethod.cash;
  const counted = closed ? (s.counted_cash as number) : null;
  const name = (id: unknown) => people.get(id as number) ?? '';
  const shift: Shift = {
    id: shiftId,
    mode: s.mode as Shift['mode'],
    currency,
    openedAt: s.opened_at as number,
    openedBy: { id: s.opened_by as number, name: name(s.opened_by) },
    floatAmount: float,
    closedAt: s.closed_at as number | null,
    closedBy: s.closed_by === null ? null : { id: s.closed_by as number, name: name(s.closed_by) },
    countedCash: counted,
    expectedCash: closed ? expected : null,
  };

  return {
    shift,
    at,
    sales,
    taken,
    otherByLabel,
    changeGiven,
    tips,
    tippedCount,
    refunds: { count: refundCount, total: refundTotal, byMethod },
    net: taken.total - refundTotal,
    cash: { float, taken: taken.cash, refunded: byMethod.cash, expected, counted, overShort: counted === null ? null : counted - expected },
    drawerOpenings,
    firstSaleAt,
    lastSaleAt,
    people: peopleList,
    otherCurrencySales: onShift.length - mine.length,
  };
}
