import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bs58 from 'bs58';
import { createLedger, type Ledger, type SalesQueries } from '../../electron/core/ledger/ledger';
import { LedgerError } from '../../electron/core/ledger/errors';
import { isoWithOffset, localDateOf, localDaysBetween } from '../../electron/shared/domain/local-days';
import type { Sale, SaleStatus } from '../../electron/shared/domain/sale';
import { tipForPercent } from '../../electron/shared/domain/tip';
import type { SaleExportRow } from '../../electron/core/ledger/sale-row';
import { createCsvRowEncoder, csvField, csvRow, saleCsvFields, SALES_CSV_HEADER, writeSalesCsv } from '../../electron/core/export/sales-csv';
import { CsvBytes, createIsoWriter } from '../../electron/core/export/csv-bytes';
import { allSales } from '../support/ledger-guard';
import { bruteTotals, takenOn } from '../support/brute-totals';
import { prng } from '../support/prng';
import { rollupFromSales, salesDisagreeingWithTenders, storedRollup } from '../support/rollup';
import { tempDir } from '../support/temp-dir';

// Every answer of the sales log, its totals, chart and export is checked
// against a brute-force computation over the same generated sales.

const TZ = 'America/New_York'; // DST ends 2026-11-01 inside the generated range
let dir: string;
let ledger: Ledger;
let reports: SalesQueries;
let all: Sale[];

interface Generated {
  ledger: Ledger;
  all: Sale[];
}

/**
 * `count` sales from `start`, up to `maxGapMs` apart (sometimes in the same
 * ms), in every status, mode and three currencies, paid by every mix of
 * tenders: one Code payment, a split over Code payments, Code plus cash or
 * another tender, cash with change; partly paid, cancelled (some paid
 * late), expired (some paid late) and pending. About a third are rung up
 * with tips on: a preset, a custom tip or none is chosen before the tenders
 * (which then take amount + tip), and a few never get their tip and expire.
 */
function generate(l: Ledger, seed: number, count: number, start: number, maxGapMs: number, setClock: (ms: number) => void): Sale[] {
  const rand = prng(seed);
  // Tips draw from their own sequence, so the rest of the history is the one generated before tips.
  const tipRand = prng(seed + 1);
  const destination = bs58.encode(Buffer.alloc(32, 7));
  const code = (saleId: number, amount: number) => {
    const seq = (l.getSale(saleId).tenders.at(-1)?.seq ?? 0) + 1;
    return l.addCodeTender(saleId, { amount, seq, intentId: bs58.encode(randomBytes(32)) }).tender;
  };
  const pay = (tenderId: number, amount: number) =>
    l.recordProof({ tenderId, source: 'webhook', quarks: amount * 10_000, exchangeRate: 0.00001, payload: 'x' });
  const part = (amount: number) => Math.max(1, Math.min(amount - 1, Math.round(amount * (0.3 + rand() * 0.4))));
  const toExpire: number[] = [];
  const toLeavePending: number[] = [];
  const neverTipped: number[] = [];
  let clock = start;
  for (let i = 0; i < count; i++) {
    clock += Math.floor(rand() * maxGapMs);
    setClock(clock);
    const currency = rand() < 0.7 ? 'usd' : rand() < 0.5 ? 'eur' : 'cad';
    const mode = rand() < 0.8 ? 'live' : 'sandbox';
    const rungUp = [125, 500, 1250, 99, 2000][Math.floor(rand() * 5)]! + (rand() < 0.3 ? Math.floor(rand() * 1000) : 0);
    const awaitingTip = tipRand() < 0.35;
    const sale = l.createSale({ amount: rungUp, currency, mode, destination, awaitingTip });
    const roll = rand();
    if (awaitingTip && roll >= 0.87 && tipRand() < 0.5) {
      neverTipped.push(sale.id);
      continue;
    }
    // What the tenders take: the sale and its tip.
    const amount = rungUp + (awaitingTip ? chooseTip(l, sale.id, rungUp, tipRand()) : 0);
    if (roll < 0.45) {
      const tender = code(sale.id, amount);
      pay(tender.id, amount);
      if (rand() < 0.2) l.recordProof({ tenderId: tender.id, source: 'status_poll', payload: {} });
    } else if (roll < 0.55) {
      const first = part(amount);
      pay(code(sale.id, first).id, first);
      const how = rand();
      if (how < 0.4) l.addCashTender(sale.id, { tendered: amount - first + Math.floor(rand() * 500) });
      else if (how < 0.7) pay(code(sale.id, amount - first).id, amount - first);
      else l.addOtherTender(sale.id, { amount: amount - first, label: rand() < 0.5 ? 'Card' : 'Voucher, paper' });
    } else if (roll < 0.62) {
      // Partly paid, sometimes with its next Code payment waiting (which will expire, the sale not).
      const first = part(amount);
      if (rand() < 0.5) pay(code(sale.id, first).id, first);
      else l.addCashTender(sale.id, { tendered: first });
      if (rand() < 0.5) code(sale.id, amount - first);
    } else if (roll < 0.72) {
      const tender = code(sale.id, amount);
      l.cancel(sale.id);
      if (rand() < 0.3) l.recordProof({ tenderId: tender.id, source: 'status_poll', payload: {} });
    } else if (roll < 0.82) {
      code(sale.id, amount);
      toExpire.push(sale.id);
    } else if (roll < 0.87) {
      l.addCashTender(sale.id, { tendered: amount + Math.floor(rand() * 2000) });
    } else {
      toLeavePending.push(sale.id);
    }
  }
  // One expiry sweep at the end: everything open with nothing taken expires,
  // but the sales left pending wait on a Code payment started after the cutoff.
  setClock((clock += 1));
  for (const id of toLeavePending) code(id, l.getSale(id).amount + l.getSale(id).tipAmount);
  const expired = new Set(l.expirePendingBefore(clock).filter((x) => x.status === 'expired').map((x) => x.id));
  expect([...toExpire, ...neverTipped].filter((id) => !expired.has(id))).toEqual([]);
  expect(neverTipped.length).toBeGreaterThan(0);
  for (const id of toExpire) {
    if (rand() < 0.3) l.recordProof({ tenderId: l.getSale(id).tenders[0]!.id, source: 'webhook', payload: 'late' });
  }
  return allSales(l);
}

/** A tip chosen for a sale waiting for one: 10, 15 or 20 %, a custom amount up to the sale's, or none (0). */
function chooseTip(l: Ledger, saleId: number, amount: number, roll: number): number {
  const by = roll < 0.5 ? 'customer' : 'cashier';
  if (roll < 0.6) {
    const percent = [10, 15, 20][Math.floor(roll * 5) % 3]!;
    return l.setTip(saleId, { amount: tipForPercent(amount, percent), percent, by }).tipAmount;
  }
  if (roll < 0.85) return l.setTip(saleId, { amount: Math.max(1, Math.floor(amount * (roll - 0.6) * 4)), percent: null, by }).tipAmount;
  return l.setTip(saleId, { amount: 0, percent: null, by }).tipAmount;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'counter-reports-'));
  let clock = Date.parse('2026-10-20T10:00:00Z');
  ledger = createLedger({ dir, timeZone: TZ, now: () => clock });
  reports = ledger.queries;
  all = generate(ledger, 42, 2_500, clock, 30 * 60_000, (ms) => (clock = ms));
});
afterAll(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Filter {
  from?: string;
  to?: string;
  status?: SaleStatus[];
  mode?: 'live' | 'sandbox' | 'all';
  search?: string;
}

/** What a search means, written out independently of the ledger's parser. */
function matchesSearch(s: Sale, search: string): boolean {
  const text = search.trim();
  const saleNumber = /^#\s*(\d+)$/.exec(text);
  if (saleNumber) return s.id === Number(saleNumber[1]);
  if (/^\d+$/.test(text)) return s.id === Number(text) || s.amount === Number(text) * 100;
  if (/^\d+[.,]\d{1,2}$/.test(text)) return s.amount === Math.round(Number(text.replace(',', '.')) * 100);
  return s.tenders.some((t) => t.intentId?.startsWith(text));
}

function bruteForce(f: Filter, sales = all, tz = TZ): Sale[] {
  return sales
    .filter((s) => (f.mode ?? 'live') === 'all' || s.mode === (f.mode ?? 'live'))
    .filter((s) => !f.status || f.status.includes(s.status))
    .filter((s) => !f.from || localDateOf(s.createdAt, tz) >= f.from)
    .filter((s) => !f.to || localDateOf(s.createdAt, tz) <= f.to)
    .filter((s) => !f.search || matchesSearch(s, f.search))
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

function bruteDayTotals(f: Filter, sales = all, tz = TZ) {
  const byDay = new Map<string, Sale[]>();
  for (const s of bruteForce(f, sales, tz)) {
    const date = localDateOf(s.createdAt, tz);
    byDay.set(date, [...(byDay.get(date) ?? []), s]);
  }
  return [...byDay.keys()].sort().flatMap((date) => bruteTotals(byDay.get(date)!).map((t) => ({ date, ...t })));
}

function pageThrough(q: SalesQueries, f: Filter, limit: number): number[] {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page = q.listSales(f, { limit, cursor });
    ids.push(...page.sales.map((s) => s.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

async function exportCsv(q: SalesQueries, f: Filter): Promise<{ header: string[]; rows: string[][]; written: number; progress: number[] }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const progress: number[] = [];
  const written = await writeSalesCsv(q, f, sink, (p) => progress.push(p.written));
  sink.end();
  const text = Buffer.concat(chunks).toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  return { header: header!, rows, written, progress };
}

const FILTERS: Filter[] = [
  {},
  { mode: 'all' },
  { mode: 'sandbox' },
  { from: '2026-10-25', to: '2026-11-03' },
  { from: '2026-11-01', to: '2026-11-01' },
  { from: '2026-10-28', to: '2026-11-05', status: ['paid'] },
  { status: ['cancelled', 'expired'], mode: 'all' },
  { status: ['pending'] },
  { status: ['partly_paid'], mode: 'all' },
  { status: ['pending', 'partly_paid'] },
  { search: '12.50', mode: 'all' },
  { search: '5' },
  { to: '2026-10-22' },
  { from: '2026-12-01' },
];

/** Searches: a sale number, a bare number (sale or amount), an amount, and combined with the other filters. */
const SEARCHES: Filter[] = [
  { search: '#52', mode: 'all' },
  { search: '# 52', mode: 'all' },
  { search: '#52' },
  { search: '52', mode: 'all' },
  { search: '20', mode: 'all' },
  { search: '20', mode: 'all', status: ['paid'] },
  { search: '12.50' },
  { search: '12,5', mode: 'all', from: '2026-10-28', to: '2026-11-05' },
  { search: '#99999', mode: 'all' },
];

describe('sales log against brute force', () => {
  it.each([...FILTERS, ...SEARCHES])('lists and pages %j exactly', (f) => {
    const expected = bruteForce(f).map((s) => s.id);
    expect(pageThrough(reports, f, 37)).toEqual(expected);
    expect(reports.countSales(f)).toBe(expected.length);
  });

  it('finds a sale by its number, with or without #, whatever the other readings find', () => {
    const sale = all.find((s) => s.id === 52)!;
    expect(reports.listSales({ search: '#52', mode: 'all' }).sales.map((s) => s.id)).toEqual([52]);
    expect(reports.listSales({ search: '52', mode: 'all' }).sales.map((s) => s.id)).toContain(52);
    // "#52" under the default live mode finds it only if it is a live sale.
    expect(reports.listSales({ search: '#52' }).sales.map((s) => s.id)).toEqual(sale.mode === 'live' ? [52] : []);
    // "20" is sale 20 or an amount of 20.00: both readings are there.
    const twenty = reports.listSales({ search: '20', mode: 'all' }, { limit: 500 }).sales;
    expect(twenty.some((s) => s.id === 20)).toBe(true);
    expect(twenty.some((s) => s.id !== 20 && s.amount === 2000)).toBe(true);
  });

  it("finds sales by the start of any of their Code payments' intent ids", () => {
    const target = all.filter((s) => s.tenders.filter((t) => t.intentId).length > 1)[3]!;
    const prefix = target.tenders.filter((t) => t.intentId).at(-1)!.intentId!.slice(0, 5);
    const f = { search: prefix, mode: 'all' as const };
    expect(pageThrough(reports, f, 50)).toEqual(bruteForce(f).map((s) => s.id));
    expect(pageThrough(reports, f, 50)).toContain(target.id);
    expect(reports.rangeTotals(f)).toEqual(bruteTotals(bruteForce(f)));
  });

  it.each([...FILTERS, ...SEARCHES])('totals %j per currency exactly', (f) => {
    expect(reports.rangeTotals(f)).toEqual(bruteTotals(bruteForce(f)));
  });

  it.each([
    { from: '2026-10-20', to: '2026-11-10' },
    { from: '2026-10-31', to: '2026-11-02', status: ['paid'] },
    { from: '2026-10-31', to: '2026-11-02', status: ['pending', 'cancelled'], mode: 'all' },
    { from: '2026-10-25', to: '2026-11-05', status: ['partly_paid', 'paid'] },
    { from: '2026-10-25', to: '2026-11-05', mode: 'sandbox' },
    { from: '2026-10-25', to: '2026-11-05', mode: 'all', status: ['expired'] },
    { from: '2026-11-01', to: '2026-11-01', mode: 'all' },
    { from: '2026-10-20', to: '2026-11-10', search: '12.50', mode: 'all' },
    { from: '2026-10-20', to: '2026-11-10', search: '20' },
  ] as Filter[])('day totals %j match brute force, day by day, across the DST change', (f) => {
    expect(reports.dayTotals(f)).toEqual(bruteDayTotals(f));
  });

  it('charts one day by the hour (25 hours on the DST day) and longer ranges by the day', () => {
    const dst = reports.chart({ from: '2026-11-01', to: '2026-11-01' });
    expect(dst.unit).toBe('hour');
    expect(dst.buckets).toHaveLength(25);
    expect(dst.buckets.map((b) => b.label).slice(0, 3)).toEqual(['00:00', '01:00', '01:00']);
    const day = bruteForce({ from: '2026-11-01', to: '2026-11-01' });
    expect(dst.buckets.reduce((n, b) => n + b.count, 0)).toBe(day.length);
    for (const bucket of dst.buckets) {
      const inBucket = day.filter((s) => s.createdAt >= bucket.start && s.createdAt < bucket.start + 3_600_000);
      expect(bucket.count).toBe(inBucket.length);
      expect(bucket.paid.usd ?? 0).toBe(inBucket.filter((s) => s.currency === 'usd').reduce((n, s) => n + takenOn(s), 0));
    }
    const month = reports.chart({ from: '2026-10-20', to: '2026-11-10' });
    expect(month.unit).toBe('day');
    expect(month.buckets.map((b) => b.label)).toHaveLength(22);
    const totals = reports.dayTotals({ from: '2026-10-20', to: '2026-11-10' });
    for (const bucket of month.buckets) {
      expect(bucket.count).toBe(totals.filter((t) => t.date === bucket.label).reduce((n, t) => n + t.count, 0));
    }
  });

  it.each([
    { from: '2026-11-01', to: '2026-11-01', status: ['paid', 'expired'], mode: 'all' },
    { from: '2026-10-30', to: '2026-11-03', mode: 'sandbox' },
    { from: '2026-10-30', to: '2026-11-03', status: ['cancelled'] },
    { from: '2026-10-30', to: '2026-11-03', search: '12.50', mode: 'all' },
  ] as Filter[])('charts %j with the filter applied to every bucket', (f) => {
    const chart = reports.chart(f);
    const sales = bruteForce(f);
    for (const [i, bucket] of chart.buckets.entries()) {
      const end = chart.buckets[i + 1]?.start ?? Infinity;
      const inBucket = sales.filter((s) => s.createdAt >= bucket.start && s.createdAt < end);
      const paid: Record<string, number> = {};
      for (const s of inBucket) if (takenOn(s)) paid[s.currency] = (paid[s.currency] ?? 0) + takenOn(s);
      expect({ count: bucket.count, paid: bucket.paid }).toEqual({ count: inBucket.length, paid });
    }
  });

  it('summarises a day: count, taken and not paid per currency, by status, first and last sale', () => {
    const summary = reports.daySummary('2026-10-30');
    const day = bruteForce({ from: '2026-10-30', to: '2026-10-30' });
    expect(summary.count).toBe(day.length);
    expect(summary.firstSaleAt).toBe(Math.min(...day.map((s) => s.createdAt)));
    expect(summary.lastSaleAt).toBe(Math.max(...day.map((s) => s.createdAt)));
    for (const status of ['paid', 'partly_paid', 'pending', 'cancelled', 'expired'] as const) {
      expect(summary.byStatus[status]).toBe(day.filter((s) => s.status === status).length);
    }
    expect(summary.byStatus.partly_paid).toBeGreaterThan(0);
    expect(summary.totals).toEqual(bruteTotals(day));
    expect(summary.totals.reduce((n, t) => n + t.paidAmount, 0)).toBe(day.reduce((n, s) => n + takenOn(s), 0));
    expect(summary.totals.reduce((n, t) => n + t.unpaidAmount, 0)).toBe(
      day.filter((s) => s.status !== 'paid').reduce((n, s) => n + s.amount + s.tipAmount - takenOn(s), 0),
    );
    // Tips: those of the paid sales, part of the takings.
    const tipped = day.filter((s) => s.status === 'paid' && s.tipAmount > 0);
    expect(tipped.length).toBeGreaterThan(0);
    expect(summary.totals.reduce((n, t) => n + t.tips, 0)).toBe(tipped.reduce((n, s) => n + s.tipAmount, 0));
    expect(summary.totals.reduce((n, t) => n + t.tippedCount, 0)).toBe(tipped.length);
    expect(reports.daySummary('2030-01-01')).toMatchObject({ count: 0, firstSaleAt: null, totals: [] });
    expect(() => reports.daySummary('yesterday')).toThrow(/date/);
  });

  it('the rollup the totals read holds exactly what the sales say, and the sales what their tenders say', () => {
    const db = ledger.database;
    expect(storedRollup(db)).toEqual(rollupFromSales(db));
    expect(salesDisagreeingWithTenders(db)).toEqual([]);
    // The generated history has every status and every kind of tender, and tips in every state.
    expect(new Set(all.map((s) => s.status)).size).toBe(5);
    expect(new Set(all.filter((s) => s.tipAmount > 0).map((s) => s.status)).size).toBe(5);
    expect(all.some((s) => s.tipChosenBy !== null && s.tipAmount === 0)).toBe(true);
    expect(all.some((s) => s.tipPercent !== null)).toBe(true);
    // A sale that never got its tip expired and waits for nothing.
    expect(all.some((s) => s.status === 'expired' && s.tipChosenBy === null && !s.awaitingTip)).toBe(true);
    expect(all.filter((s) => s.awaitingTip)).toEqual([]);
    expect(new Set(all.flatMap((s) => s.tenders.map((t) => t.kind))).size).toBe(3);
  });
});

describe('searches and filters the ledger refuses', () => {
  const refusals: Array<[string, Filter, RegExp]> = [
    ['a search that is no sale number, amount or intent', { search: 'coffee!' }, /sale number \(#52\), an amount \(12\.50\) or the start of an intent id/],
    ['a sale number of zero', { search: '#0' }, /sale number/],
    ['an amount with three decimals', { search: '12.505' }, /amount/],
    ['a search too short to be an intent prefix', { search: 'ab' }, /intent/],
    ['an unknown status', { status: ['refunded' as SaleStatus] }, /status/],
    ['dates the wrong way round', { from: '2026-11-02', to: '2026-11-01' }, /from/],
  ];

  it.each(refusals)('refuses %s in the list, the totals, the chart and the export, with a clear message', async (_name, f, message) => {
    const ranged = { from: '2026-10-20', to: '2026-11-10', ...f };
    for (const call of [
      () => reports.listSales(f),
      () => reports.countSales(f),
      () => reports.rangeTotals(f),
      () => reports.dayTotals(ranged),
      () => reports.chart(ranged),
    ]) {
      expect(call).toThrow(LedgerError);
      expect(call).toThrow(message);
    }
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await expect(writeSalesCsv(reports, f, sink)).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(message) });
    expect(chunks).toEqual([]);
  });

  it('refuses day totals and a chart without both ends of the range', () => {
    expect(() => reports.dayTotals({ from: '2026-10-20' })).toThrow(/both "from" and "to"/);
    expect(() => reports.chart({ to: '2026-10-20' })).toThrow(/both "from" and "to"/);
    expect(() => reports.chart({ from: '2020-01-01', to: '2026-01-01' })).toThrow(/at most 1100 days/);
  });
});

/**
 * Zones where the totals take each path: Kathmandu (+05:45) and Lord Howe
 * (a half-hour DST shift) have every boundary on a quarter hour and read the
 * rollup; Monrovia kept -00:44:30 until 1972, so its days start off the
 * quarter hour and the totals are counted from the sales. UTC around 1970
 * puts sales before the epoch into the rollup's floor-divided buckets.
 */
describe.each([
  { tz: 'Asia/Kathmandu', start: '2026-06-01T00:00:00Z', from: '2026-06-01', to: '2026-06-04', hourly: '2026-06-02' },
  { tz: 'Australia/Lord_Howe', start: '2026-10-02T00:00:00Z', from: '2026-10-02', to: '2026-10-05', hourly: '2026-10-04' },
  { tz: 'Africa/Monrovia', start: '1971-03-01T00:00:00Z', from: '1971-03-01', to: '1971-03-04', hourly: '1971-03-02' },
  { tz: 'UTC', start: '1969-12-30T00:00:00Z', from: '1969-12-30', to: '1970-01-02', hourly: '1969-12-31' },
])('totals in $tz against brute force', ({ tz, start, from, to, hourly }) => {
  let zoned: Generated;
  beforeAll(() => {
    let clock = Date.parse(start);
    const l = createLedger({ dir: tempDir(), timeZone: tz, now: () => clock });
    zoned = { ledger: l, all: generate(l, 7, 600, clock, 20 * 60_000, (ms) => (clock = ms)) };
  });
  afterAll(() => zoned.ledger.close());

  it.each([{}, { mode: 'all' }, { status: ['paid', 'pending'] }, { from, to }, { from: hourly, to: hourly, mode: 'all' }] as Filter[])(
    'range and day totals of %j',
    (f) => {
      expect(zoned.ledger.queries.rangeTotals(f)).toEqual(bruteTotals(bruteForce(f, zoned.all, tz)));
      expect(zoned.ledger.queries.countSales(f)).toBe(bruteForce(f, zoned.all, tz).length);
      const ranged = { from, to, ...f };
      expect(zoned.ledger.queries.dayTotals(ranged)).toEqual(bruteDayTotals(ranged, zoned.all, tz));
    },
  );

  it('the hourly chart of a day', () => {
    const chart = zoned.ledger.queries.chart({ from: hourly, to: hourly, mode: 'all' });
    const [day] = localDaysBetween(hourly, hourly, tz);
    expect(chart.buckets[0]!.start).toBe(day!.start);
    const sales = bruteForce({ from: hourly, to: hourly, mode: 'all' }, zoned.all, tz);
    expect(chart.buckets.reduce((n, b) => n + b.count, 0)).toBe(sales.length);
    for (const [i, bucket] of chart.buckets.entries()) {
      const end = chart.buckets[i + 1]?.start ?? day!.end;
      expect(bucket.count).toBe(sales.filter((s) => s.createdAt >= bucket.start && s.createdAt < end).length);
    }
  });
});

describe('CSV export', () => {
  it('round-trips awkward text through a real CSV parser, with formulas neutralised', () => {
    const cells = ['plain', 'comma, inside', 'quote " inside', '"quoted"', 'line\nbreak', 'crlf\r\nbreak', 'café ☕ 日本', '', '=SUM(A1:A9)', '+1', '-2', '@cmd', '\tTAB', ' leading space', 'a,b\n"c"'];
    const text = csvRow(cells) + csvRow(['second', 'row']);
    const rows = parse(text, { relax_column_count: true }) as string[][];
    expect(rows[0]).toEqual(cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
    expect(rows[1]).toEqual(['second', 'row']);
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });

  it('exports exactly the filtered sales, oldest first, with decimals and ISO times with offset', async () => {
    const f: Filter = { from: '2026-10-28', to: '2026-11-03', mode: 'all' };
    const { header, rows, written, progress } = await exportCsv(reports, f);
    expect(header).toEqual([...SALES_CSV_HEADER]);
    const expected = bruteForce(f).reverse();
    expect(written).toBe(expected.length);
    expect(rows.map((r) => Number(r[0]))).toEqual(expected.map((s) => s.id));
    expect(progress[progress.length - 1]).toBe(expected.length);
    const paid = expected.findIndex((s) => s.status === 'paid' && s.tenders.length > 1 && s.tenders.every((t) => t.kind === 'code' && t.status === 'paid'));
    const row = Object.fromEntries(header.map((h, i) => [h, rows[paid]![i]]));
    const sale = expected[paid]!;
    expect(row.amount).toBe((sale.amount / 100).toFixed(2));
    expect(row.currency).toBe(sale.currency.toUpperCase());
    expect(Date.parse(row.created_at!)).toBe(sale.createdAt);
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]0[45]:00$/);
    // A sale split over Code payments: their Kin summed, their intents in order.
    const quarks = sale.tenders.reduce((n, t) => n + t.quarks!, 0);
    expect(Number(row.quarks)).toBe(quarks);
    expect(Number(row.kin) * 100_000).toBeCloseTo(quarks, 0);
    expect(row.intent_ids).toBe(sale.tenders.map((t) => t.intentId).join(' '));
    expect(row.tenders).toBe(String(sale.tenders.length));
    expect(row.code_amount).toBe(row.paid_amount);
    // Both sides of the DST change carry their own offset.
    const offsets = new Set(rows.map((r) => r[1]!.slice(-6)));
    expect([...offsets].sort()).toEqual(['-04:00', '-05:00']);
  });

  it('states what was taken per row beside what was rung up, by tender: the paid_amount column sums to the takings', async () => {
    const f: Filter = { from: '2026-10-20', to: '2026-11-10', mode: 'all' };
    const { header, rows } = await exportCsv(reports, f);
    const at = (name: string) => header.indexOf(name);
    // What was rung up, its tip and what the customer owed in all, then what was taken.
    expect([at('tip_amount'), at('tip_percent'), at('total'), at('paid_amount')]).toEqual([1, 2, 3, 4].map((n) => at('amount') + n));
    const hundredths = (text: string) => Math.round(Number(text) * 100);
    const byId = new Map(all.map((s) => [s.id, s]));
    for (const r of rows) {
      const sale = byId.get(Number(r[0]))!;
      const paidOf = (kind: string) => sale.tenders.filter((t) => t.status === 'paid' && t.kind === kind).reduce((n, t) => n + t.amount, 0);
      expect(r[at('status')]).toBe(sale.status);
      expect(hundredths(r[at('paid_amount')]!)).toBe(takenOn(sale));
      expect([r[at('code_amount')], r[at('cash_amount')], r[at('other_amount')]].map((x) => hundredths(x!))).toEqual([paidOf('code'), paidOf('cash'), paidOf('other')]);
      expect(hundredths(r[at('change_given')]!)).toBe(sale.tenders.reduce((n, t) => n + (t.change ?? 0), 0));
      expect(r[at('other_labels')]).toBe(sale.tenders.filter((t) => t.kind === 'other').map((t) => t.label).join('; '));
      expect(r[at('tenders')]).toBe(String(sale.tenders.length));
      expect(hundredths(r[at('tip_amount')]!)).toBe(sale.tipAmount);
      expect(r[at('tip_percent')]).toBe(sale.tipPercent === null ? '' : String(sale.tipPercent));
      expect(hundredths(r[at('total')]!)).toBe(sale.amount + sale.tipAmount);
    }
    const totals = reports.rangeTotals(f);
    const takings = totals.reduce((n, t) => n + t.paidAmount, 0);
    const rungUp = rows.reduce((n, r) => n + hundredths(r[at('amount')]!), 0);
    expect(rows.reduce((n, r) => n + hundredths(r[at('paid_amount')]!), 0)).toBe(takings);
    expect(rows.reduce((n, r) => n + hundredths(r[at('cash_amount')]!), 0)).toBe(totals.reduce((n, t) => n + t.byTender.cash, 0));
    expect(rows.reduce((n, r) => n + hundredths(r[at('change_given')]!), 0)).toBe(totals.reduce((n, t) => n + t.changeGiven, 0));
    expect(takings).toBeLessThan(rungUp);
  });

  it.each(SEARCHES)('exports exactly what the list shows for the search %j', async (f) => {
    const { rows, written } = await exportCsv(reports, f);
    const expected = bruteForce(f).reverse().map((s) => s.id);
    expect(rows.map((r) => Number(r[0]))).toEqual(expected);
    expect(written).toBe(expected.length);
  });

  it('exports the sales one of whose intent ids starts with a prefix', async () => {
    const prefix = all.filter((s) => s.tenders.some((t) => t.intentId))[77]!.tenders.find((t) => t.intentId)!.intentId!.slice(0, 4);
    const { rows } = await exportCsv(reports, { search: prefix, mode: 'all' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => Number(r[0]))).toEqual(bruteForce({ search: prefix, mode: 'all' }).reverse().map((s) => s.id));
    expect(rows.every((r) => r[SALES_CSV_HEADER.indexOf('intent_ids')]!.split(' ').some((id) => id.startsWith(prefix)))).toBe(true);
  });

  it('writes each line exactly as the plain field-by-field statement of the row does', () => {
    const encode = createCsvRowEncoder(TZ);
    const out = new CsvBytes(64);
    const line = (row: SaleExportRow) => {
      encode(row, out);
      return out.take().toString('utf8');
    };
    let rows = 0;
    for (const batch of reports.iterateSales({ mode: 'all' })) {
      for (const row of batch) expect(line(row)).toBe(csvRow(saleCsvFields(row, TZ)));
      rows += batch.length;
    }
    expect(rows).toBe(all.length);
    // Cells the schema does not constrain still get quoting and formula neutralising.
    const [first] = reports.iterateSales({ mode: 'all' }).next().value as SaleExportRow[];
    const cases: Array<[number, unknown, string]> = [
      [19, -0.5, "'-0.5"],
      [19, 1.5e-7, ',1.5e-7,'],
      [19, Infinity, ',Infinity,'],
      [20, '=cmd', "'=cmd"],
      [21, 'a,"b"', '"a,""b"""'],
      [21, 'café ☕', 'café ☕'],
      [14, 'u,s', '"U,S"'],
      [18, 12_345_678_901_234, '123456789.01234,12345678901234'],
      [12, '@Card; "Voucher", x', `"'@Card; ""Voucher"", x"`],
      [12, 'Card; Voucher', ',Card; Voucher,'],
      [10, -150, ",'-1.50,"],
      [6, 15, ',15,'],
      [6, -5, ",'-5,"],
      [5, 75, ',0.75,'],
    ];
    for (const [at, value, shows] of cases) {
      const changed: unknown[] = [...first!];
      changed[at] = value;
      const row = changed as unknown as SaleExportRow;
      expect(line(row)).toBe(csvRow(saleCsvFields(row, TZ)));
      expect(line(row)).toContain(shows);
    }
  });

  it.each(['America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Europe/London', 'Pacific/Chatham', 'UTC'])(
    'formats times in %s exactly as isoWithOffset does, across a year and its changes',
    (tz) => {
      const write = createIsoWriter(tz);
      const out = new CsvBytes(8);
      const iso = (ms: number) => {
        write(out, ms);
        return out.take().toString('latin1');
      };
      const rand = prng(tz.length);
      const startMs = Date.parse('2025-12-31T00:00:00Z');
      for (let i = 0; i < 20_000; i++) {
        const ms = startMs + Math.floor(rand() * 366 * 86_400_000);
        expect(iso(ms)).toBe(isoWithOffset(ms, tz));
      }
      // Every instant of a DST change, in time order as an export reads them.
      for (let ms = Date.parse('2026-10-03T14:00:00Z'); ms < Date.parse('2026-10-04T17:00:00Z'); ms += 59_999) {
        expect(iso(ms)).toBe(isoWithOffset(ms, tz));
      }
    },
  );
});
