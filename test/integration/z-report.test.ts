import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/app/logger';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { createShiftService, type ShiftService } from '../../electron/core/shifts/shift-service';
import type { Actor, Role } from '../../electron/shared/domain/people';
import type { RefundMethod } from '../../electron/shared/domain/refund';
import type { Mode, Sale } from '../../electron/shared/domain/sale';
import type { ShiftReport } from '../../electron/shared/domain/shift';
import { bruteShiftReport } from '../support/brute-shift';
import { prng } from '../support/prng';
import { randomAddress, tempDir } from '../support/temp-dir';

// The Z-report against a brute-force count: generated days (seeded) of
// several people selling on shifts, every kind of tender, tips, cancels,
// expiries, late payments, voids, refunds of each method (some on an
// earlier shift's sales), drawer openings and another currency, written
// through the real ledger stores; each report checked field by field
// against test/support/brute-shift.ts, live and frozen at the close.

const LABELS = ['Card', 'Voucher', 'Gift card', 'Bank transfer'] as const;
const MINUTE = 60_000;

interface Day {
  ledger: Ledger;
  shifts: ShiftService;
  clock: { t: number };
  config: { mode: Mode; currency: string };
  people: Record<'owner' | 'mia' | 'ana' | 'ben' | 'cy', Actor>;
  /** Every paid sale so far, for refunds of earlier ones. */
  paid: number[];
  tally: Record<string, number>;
  destination: string;
}

function addPerson(ledger: Ledger, name: string, role: Role, at: number): Actor {
  const info = ledger.database
    .prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES (?, ?, 'scrypt$test-only', ?, ?)`)
    .run(name, role, at, at);
  return { id: Number(info.lastInsertRowid), name, role };
}

function startDay(): Day {
  const clock = { t: Date.UTC(2026, 10, 23, 7, 0) };
  const now = () => clock.t;
  const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC', now });
  const config = { mode: 'sandbox' as Mode, currency: 'usd' };
  const people = {
    owner: addPerson(ledger, 'Olga', 'owner', clock.t),
    mia: addPerson(ledger, 'Mia', 'manager', clock.t),
    ana: addPerson(ledger, 'Ana', 'cashier', clock.t),
    ben: addPerson(ledger, 'Ben', 'cashier', clock.t),
    cy: addPerson(ledger, 'Cy', 'cashier', clock.t),
  };
  const shifts = createShiftService({ ledger, config: () => config, now, logger: silentLogger });
  return { ledger, shifts, clock, config, people, paid: [], tally: {}, destination: randomAddress() };
}

const count = (day: Day, what: string) => {
  day.tally[what] = (day.tally[what] ?? 0) + 1;
};

/** Code pays `amount` of the sale (a proof by webhook). */
function payByCode(day: Day, saleId: number, amount: number): void {
  const { tender } = day.ledger.addCodeTender(saleId, { amount });
  day.ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: {} });
}

/** Cash (with change when more is tendered), and the drawer opening for it when asked: the store files it on the open shift. */
function payCash(day: Day, saleId: number, tendered: number, person: Actor | null, drawer: boolean): void {
  const { tender } = day.ledger.addCashTender(saleId, { tendered, personId: person?.id ?? null });
  if (drawer) {
    const opened = day.ledger.printing.openDrawer({ reason: 'cash', saleId, tenderId: tender.id });
    expect(opened?.opening.shiftId).toBe(day.shifts.current()?.id ?? null);
  }
}

const owed = (s: Sale) => s.amount + s.tipAmount - s.paidAmount;

/**
 * One sale rung up by `seller` on `shiftId`, taken to an outcome the PRNG
 * picks; never left open (a shift cannot close with one).
 */
function ringUp(day: Day, rand: () => number, shiftId: number | null, seller: Actor | null): void {
  const { ledger } = day;
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  day.clock.t += 1 + Math.floor(rand() * 9 * MINUTE);
  const currency = rand() < 0.1 ? 'eur' : day.config.currency;
  const tipped = rand() < 0.3;
  // The store files the sale on the shift open now.
  let sale = ledger.createSale({
    amount: 100 + Math.floor(rand() * 20_000),
    currency,
    mode: day.config.mode,
    destination: day.destination,
    awaitingTip: tipped,
    personId: seller?.id ?? null,
  });
  expect(sale.shiftId).toBe(shiftId);
  if (tipped) {
    const amount = rand() < 0.3 ? 0 : Math.floor(sale.amount * (0.05 + rand() * 0.2));
    sale = ledger.setTip(sale.id, { amount, percent: null, by: rand() < 0.5 ? 'customer' : 'cashier' });
  }
  const due = owed(sale);
  const roll = rand();
  const drawer = rand() < 0.7;
  day.clock.t += Math.floor(rand() * MINUTE);
  if (roll < 0.2) {
    payByCode(day, sale.id, due);
    count(day, 'code');
  } else if (roll < 0.38) {
    payCash(day, sale.id, due + (rand() < 0.6 ? Math.floor(rand() * 2_000) : 0), seller, drawer);
    count(day, 'cash');
  } else if (roll < 0.5) {
    ledger.addOtherTender(sale.id, { amount: due, label: pick(LABELS) });
    count(day, 'other');
  } else if (roll < 0.6) {
    // Split: another tender or Code for part, cash (with change) for the rest.
    const part = 1 + Math.floor(rand() * (due - 1));
    if (rand() < 0.5) ledger.addOtherTender(sale.id, { amount: part, label: pick(LABELS) });
    else payByCode(day, sale.id, part);
    payCash(day, sale.id, due - part + Math.floor(rand() * 500), seller, drawer);
    count(day, 'split');
  } else if (roll < 0.68) {
    // Cancelled: with nothing, or with its Code payment left waiting.
    if (rand() < 0.5) ledger.addCodeTender(sale.id, { amount: due });
    ledger.cancel(sale.id);
    count(day, 'cancelled');
    return;
  } else if (roll < 0.72) {
    // Cancelled, then the customer's Code payment arrives anyway: paid late.
    const { tender } = ledger.addCodeTender(sale.id, { amount: due });
    ledger.cancel(sale.id);
    ledger.recordProof({ tenderId: tender.id, source: 'status_poll', payload: {} });
    count(day, 'late');
  } else if (roll < 0.78) {
    // Expired: its Code payment runs out, then the sale (nothing else is open).
    if (rand() < 0.5) ledger.addCodeTender(sale.id, { amount: due });
    day.clock.t += 15 * MINUTE;
    const expired = ledger.expirePendingBefore(day.clock.t + 1);
    expect(expired.map((s) => s.id)).toContain(sale.id);
    count(day, 'expired');
    return;
  } else if (roll < 0.86 && shiftId !== null) {
    // Voided by the manager: partly paid (cash, another tender or Code) or with nothing taken.
    const how = rand();
    const part = 1 + Math.floor(rand() * (due - 1));
    if (how < 0.3) payCash(day, sale.id, part, seller, drawer);
    else if (how < 0.55) ledger.addOtherTender(sale.id, { amount: part, label: pick(LABELS) });
    else if (how < 0.8) payByCode(day, sale.id, part);
    if (rand() < 0.3) ledger.addCodeTender(sale.id, { amount: owed(ledger.getSale(sale.id)) });
    const method: RefundMethod | undefined = rand() < 0.5 ? undefined : pick(['cash', 'code', 'other'] as const);
    day.ledger.refunds.voidSale({ saleId: sale.id, reason: 'customer walked out', method, note: 'handed back at the counter', by: day.people.mia });
    count(day, 'voided');
    return;
  } else {
    payCash(day, sale.id, due, seller, drawer);
    count(day, 'cash');
  }
  expect(ledger.getSale(sale.id).status).toBe('paid');
  day.paid.push(sale.id);
}

/** A refund of part or all of what an earlier paid sale can still give back. */
function refundOne(day: Day, rand: () => number): void {
  const candidates = day.paid.map((id) => day.ledger.getSale(id)).filter((s) => s.paidAmount > s.refundedAmount);
  if (!candidates.length) return;
  const sale = candidates[Math.floor(rand() * candidates.length)]!;
  const left = sale.paidAmount - sale.refundedAmount;
  const amount = rand() < 0.3 ? left : 1 + Math.floor(rand() * left);
  const method = (['cash', 'code', 'other'] as const)[Math.floor(rand() * 3)]!;
  day.clock.t += Math.floor(rand() * 5 * MINUTE);
  day.ledger.refunds.record({ saleId: sale.id, amount, method, note: method === 'cash' ? null : 'to the customer, by phone', by: rand() < 0.5 ? day.people.mia : day.people.owner });
  count(day, `refund-${method}`);
  if (sale.shiftId !== day.shifts.current()?.id) count(day, 'refund-earlier');
}

/** A shift's worth of activity: sales by `sellers`, refunds now and then, No sale openings. */
function runShift(day: Day, rand: () => number, shiftId: number, sellers: Array<Actor | null>, sales: number): void {
  for (let i = 0; i < sales; i++) {
    ringUp(day, rand, shiftId, sellers[Math.floor(rand() * sellers.length)] ?? null);
    if (rand() < 0.2) refundOne(day, rand);
    if (rand() < 0.06) {
      const { opening } = day.ledger.printing.openDrawer({ reason: 'no-sale', mode: day.config.mode, personId: day.people.mia.id })!;
      expect(opening.shiftId).toBe(shiftId);
      count(day, 'no-sale');
    }
  }
}

/** The report held against the brute-force count, one field at a time (so a failure names it). */
function expectReportsEqual(report: ShiftReport, brute: ShiftReport): void {
  for (const key of Object.keys(brute) as Array<keyof ShiftReport>) expect(report[key], key).toEqual(brute[key]);
  expect(Object.keys(report).sort()).toEqual(Object.keys(brute).sort());
}

function closeAndCheck(day: Day, rand: () => number, by: Actor): ShiftReport {
  const open = day.shifts.current()!;
  const live = day.shifts.report(open.id);
  expectReportsEqual(live, bruteShiftReport(day.ledger.database, open.id, day.clock.t));
  day.clock.t += 5 * MINUTE;
  // Counted: right, over or short by up to $20.
  const delta = rand() < 0.3 ? 0 : Math.floor((rand() - 0.5) * 4_000);
  const counted = Math.max(0, live.cash.expected + delta);
  const closed = day.shifts.close(by, counted);
  const brute = bruteShiftReport(day.ledger.database, open.id, day.clock.t);
  expectReportsEqual(closed, brute);
  expect(closed.cash.overShort).toBe(counted - live.cash.expected);
  // What is kept is what was answered; the row's own columns agree.
  expect(day.shifts.report(open.id)).toEqual(closed);
  const row = day.ledger.database.prepare('SELECT counted_cash, expected_cash, closed_by, closed_at FROM shifts WHERE id = ?').get(open.id);
  expect(row).toEqual({ counted_cash: counted, expected_cash: brute.cash.expected, closed_by: by.id, closed_at: day.clock.t });
  return closed;
}

describe('the Z-report against a brute-force count', () => {
  for (const seed of [15, 1515, 424242]) {
    it(`equals it over a generated day, live and at each close (seed ${seed})`, () => {
      const rand = prng(seed);
      const day = startDay();
      const { people, shifts } = day;

      // Before any shift (setup): sales with nobody and no shift, which no Z-report counts.
      for (let i = 0; i < 6; i++) ringUp(day, rand, null, null);

      day.clock.t += 30 * MINUTE;
      const morning = shifts.open(people.ana, 10_000);
      runShift(day, rand, morning.id, [people.ana, people.ben, people.mia, null], 70);
      const first = closeAndCheck(day, rand, people.ana);

      day.clock.t += 10 * MINUTE;
      const afternoon = shifts.open(people.ben, 15_000);
      runShift(day, rand, afternoon.id, [people.ben, people.cy, people.mia], 70);
      const second = closeAndCheck(day, rand, people.mia);

      // An evening shift in live mode: more refunds of the earlier shifts' sales.
      day.config.mode = 'live';
      day.clock.t += 10 * MINUTE;
      const evening = shifts.open(people.cy, 5_000);
      expect(evening).toMatchObject({ mode: 'live', currency: 'usd', floatAmount: 5_000, openedBy: { id: people.cy.id, name: 'Cy' } });
      runShift(day, rand, evening.id, [people.cy], 25);
      for (let i = 0; i < 8; i++) refundOne(day, rand);
      closeAndCheck(day, rand, people.cy);

      // The closed shifts' reports are frozen: later refunds of their sales change nothing in them.
      expect(shifts.report(morning.id)).toEqual(first);
      expect(shifts.report(afternoon.id)).toEqual(second);

      // The generated day covered what the report must count.
      for (const what of ['code', 'cash', 'other', 'split', 'cancelled', 'late', 'expired', 'voided', 'refund-cash', 'refund-code', 'refund-other', 'refund-earlier', 'no-sale']) {
        expect(day.tally[what] ?? 0, what).toBeGreaterThan(0);
      }
      for (const report of [first, second]) {
        expect(report.otherCurrencySales).toBeGreaterThan(0);
        expect(report.tippedCount).toBeGreaterThan(0);
        expect(report.drawerOpenings.cash).toBeGreaterThan(0);
        expect(report.otherByLabel.length).toBeGreaterThan(1);
        expect(report.people.length).toBeGreaterThan(2);
        expect(report.sales.voidedCount).toBeGreaterThan(0);
      }
      expect(first.people.some((p) => p.id === null && p.name === 'Nobody signed in')).toBe(true);
    });
  }

  it('of a shift with no sales: the float is what is expected', () => {
    const day = startDay();
    const shift = day.shifts.open(day.people.ana, 7_500);
    day.clock.t += MINUTE;
    const closed = day.shifts.close(day.people.ana, 7_500);
    expectReportsEqual(closed, bruteShiftReport(day.ledger.database, shift.id, day.clock.t));
    expect(closed).toMatchObject({
      sales: { count: 0, paidCount: 0, openCount: 0, cancelledCount: 0, expiredCount: 0, voidedCount: 0 },
      taken: { code: 0, cash: 0, other: 0, total: 0 },
      refunds: { count: 0, total: 0, byMethod: { cash: 0, code: 0, other: 0 } },
      net: 0,
      cash: { float: 7_500, taken: 0, refunded: 0, expected: 7_500, counted: 7_500, overShort: 0 },
      firstSaleAt: null,
      lastSaleAt: null,
      people: [],
      otherByLabel: [],
    });
  });
});
