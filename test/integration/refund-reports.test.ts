import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SALES_CSV_HEADER, writeSalesCsv } from '../../electron/core/export/sales-csv';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import type { Actor } from '../../electron/shared/domain/people';
import type { Refund, RefundMethod } from '../../electron/shared/domain/refund';
import { isOpen, type Sale, type SaleStatus } from '../../electron/shared/domain/sale';
import type { SalesFilter } from '../../electron/shared/domain/sales-filter';
import { bruteTotals } from '../support/brute-totals';
import { allSales, expectConsistent } from '../support/ledger-guard';
import { prng } from '../support/prng';
import { randomAddress, tempDir } from '../support/temp-dir';

// Refunds in the owner's numbers, against a hand count: a generated three
// weeks of sales in two currencies and both modes, paid every way, with
// refunds and voids made later (often on another day than the sale), held
// against the ledger's totals for a range, per day and for the end of day,
// and the CSV's refunded_amount. Refunds count by when they were made,
// within the range, in their sale's currency and mode; what was taken stays
// what was taken.

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 20);
const DAYS = 21;

let ledger: Ledger;
let sales: Sale[];
let refunds: Refund[];

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(() => {
  let clock = START;
  ledger = createLedger({ dir: tempDir('counter-refund-reports-'), timeZone: 'UTC', now: () => clock });
  const db = ledger.database;
  const personId = Number(
    db.prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES ('Ben', 'manager', 'scrypt$t', ?, ?)`).run(clock, clock).lastInsertRowid,
  );
  const by: Actor = { id: personId, name: 'Ben', role: 'manager' };
  // One shift open throughout: cash refunds leave its drawer.
  db.prepare(`INSERT INTO shifts (mode, currency, opened_by, opened_at, float_amount) VALUES ('live', 'usd', ?, ?, 0)`).run(personId, clock);
  const random = prng(20261120);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const destination = randomAddress();

  // Every sale is rung up at its own time; refunds are scheduled for later and made in time order.
  const planned: Array<{ at: number; saleId: number; kind: 'refund' | 'void'; method: RefundMethod; share: number }> = [];
  for (let i = 0; i < 260; i++) {
    clock = START + Math.floor(random() * DAYS * DAY);
    const amount = 50 + Math.floor(random() * 5000);
    const sale = ledger.createSale({ amount, currency: pick(['usd', 'usd', 'eur']), mode: pick(['live', 'live', 'sandbox'] as const), destination });
    const how = random();
    if (how < 0.45) ledger.addCashTender(sale.id, { tendered: amount + Math.floor(random() * 300) });
    else if (how < 0.6) ledger.addOtherTender(sale.id, { amount, label: 'Card' });
    else if (how < 0.7) {
      const { tender } = ledger.addCodeTender(sale.id, { amount });
      ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: amount * 1000, exchangeRate: 0.00001, payload: 'jwt' });
    } else if (how < 0.82) ledger.addCashTender(sale.id, { tendered: Math.max(1, Math.floor(amount / 3)) }); // partly paid
    else if (how < 0.9) ledger.cancel(sale.id);
    // else: left pending
    const after = ledger.getSale(sale.id);
    const later = clock + Math.floor(random() * 4 * DAY);
    if (after.status === 'paid' && random() < 0.5) {
      planned.push({ at: later, saleId: sale.id, kind: 'refund', method: pick(['cash', 'code', 'other'] as const), share: random() });
      if (random() < 0.3) planned.push({ at: later + Math.floor(random() * DAY), saleId: sale.id, kind: 'refund', method: 'cash', share: 1 });
    }
    if (isOpen(after) && random() < 0.5) planned.push({ at: later, saleId: sale.id, kind: 'void', method: pick(['cash', 'other'] as const), share: 1 });
  }
  planned.sort((a, b) => a.at - b.at);
  for (const p of planned) {
    clock = p.at;
    const sale = ledger.getSale(p.saleId);
    if (p.kind === 'void') {
      if (isOpen(sale)) ledger.refunds.voidSale({ saleId: sale.id, reason: 'generated', method: p.method, note: 'generated', by });
      continue;
    }
    const left = sale.paidAmount - sale.refundedAmount;
    if (left <= 0) continue;
    const amount = Math.max(1, Math.min(left, Math.round(left * p.share)));
    ledger.refunds.record({ saleId: sale.id, amount, method: p.method, note: p.method === 'cash' ? null : 'generated', by });
  }
  sales = allSales(ledger);
  refunds = sales.flatMap((s) => ledger.refunds.listBySale(s.id));
});

afterAll(() => ledger?.close());

/** The filter by hand: a sale's mode, status and number, and a time range. */
function matchesSale(s: Sale, f: SalesFilter): boolean {
  const mode = f.mode ?? 'live';
  if (mode !== 'all' && s.mode !== mode) return false;
  if (f.status && !f.status.includes(s.status)) return false;
  if (f.search && `#${s.id}` !== f.search) return false;
  return true;
}
const rangeOf = (f: SalesFilter): [number, number] => [
  f.from ? Date.parse(`${f.from}T00:00:00Z`) : -Infinity,
  f.to ? Date.parse(`${f.to}T00:00:00Z`) + DAY : Infinity,
];
function bruteForce(f: SalesFilter) {
  const [start, end] = rangeOf(f);
  const byId = new Map(sales.map((s) => [s.id, s]));
  const inRange = sales.filter((s) => matchesSale(s, f) && s.createdAt >= start && s.createdAt < end);
  const madeInRange = refunds.filter((r) => matchesSale(byId.get(r.saleId)!, f) && r.createdAt >= start && r.createdAt < end);
  return bruteTotals(inRange, madeInRange);
}

const FILTERS: SalesFilter[] = [
  {},
  { mode: 'all' },
  { mode: 'sandbox' },
  { from: '2026-10-25', to: '2026-11-03' },
  { from: '2026-11-01', to: '2026-11-01', mode: 'all' },
  { from: '2026-10-28', to: '2026-11-05', status: ['paid'] },
  { status: ['cancelled'] as SaleStatus[], mode: 'all' },
  { status: ['partly_paid', 'pending'] as SaleStatus[] },
  // Past the last sale: refunds of older sales, and no sale rung up.
  { from: '2026-11-10', to: '2026-11-14', mode: 'all' },
];

describe('refunds in the totals, against a hand count', () => {
  it('the generated ledger has refunds of every kind, across days, and voids, and keeps every invariant', () => {
    expect(refunds.length).toBeGreaterThan(60);
    expect(new Set(refunds.map((r) => r.method))).toEqual(new Set(['cash', 'code', 'other']));
    expect(refunds.some((r) => r.voidOfSale)).toBe(true);
    const byId = new Map(sales.map((s) => [s.id, s]));
    expect(refunds.some((r) => dateOf(r.createdAt) !== dateOf(byId.get(r.saleId)!.createdAt))).toBe(true);
    for (const s of sales) expect(s.refundedAmount).toBe(refunds.filter((r) => r.saleId === s.id).reduce((n, r) => n + r.amount, 0));
    expectConsistent(ledger);
  });

  it.each(FILTERS)('range totals for %j', (f) => {
    const expected = bruteForce(f);
    expect(ledger.queries.rangeTotals(f)).toEqual(expected);
  });

  it('a range with refunds and no sale still shows them, in their currency, with nothing taken', () => {
    const totals = ledger.queries.rangeTotals({ from: '2026-11-10', to: '2026-11-14', mode: 'all' });
    expect(totals.length).toBeGreaterThan(0);
    for (const t of totals) expect(t).toMatchObject({ count: 0, paidAmount: 0, refundCount: expect.any(Number) });
    expect(totals.every((t) => t.refundCount > 0 && t.refunds > 0)).toBe(true);
  });

  it('a search for one sale counts its refunds, whenever they were made', () => {
    const refunded = sales.filter((s) => s.refundedAmount > 0 && s.mode === 'live').slice(0, 5);
    expect(refunded.length).toBeGreaterThan(0);
    for (const s of refunded) {
      const f = { search: `#${s.id}` };
      expect(ledger.queries.rangeTotals(f)).toEqual(bruteForce(f));
      expect(ledger.queries.rangeTotals(f)[0]).toMatchObject({ refunds: s.refundedAmount });
    }
  });

  it('per day and at the end of each day: the refunds made that day, in both modes', () => {
    const f: SalesFilter = { from: '2026-10-20', to: '2026-11-14', mode: 'all' };
    const expected = [];
    for (let day = Date.parse('2026-10-20T00:00:00Z'); day <= Date.parse('2026-11-14T00:00:00Z'); day += DAY) {
      const date = dateOf(day);
      for (const t of bruteForce({ from: date, to: date, mode: 'all' })) expected.push({ date, ...t });
      for (const mode of ['live', 'sandbox', 'all'] as const) {
        expect(ledger.queries.daySummary(date, mode).totals).toEqual(bruteForce({ from: date, to: date, mode }));
      }
    }
    expect(ledger.queries.dayTotals(f)).toEqual(expected);
  });

  it('the CSV states each sale’s refunded amount beside what was taken', async () => {
    const f: SalesFilter = { mode: 'all' };
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await writeSalesCsv(ledger.queries, f, sink);
    sink.end();
    const [header, ...rows] = parse(Buffer.concat(chunks).toString('utf8'), { bom: true }) as string[][];
    expect(header).toEqual([...SALES_CSV_HEADER]);
    const at = header!.indexOf('refunded_amount');
    expect(at).toBe(header!.length - 1);
    const byId = new Map(sales.map((s) => [s.id, s]));
    expect(rows).toHaveLength(sales.length);
    for (const row of rows) expect(row[at]).toBe((byId.get(Number(row[0]))!.refundedAmount / 100).toFixed(2));
  });
});
