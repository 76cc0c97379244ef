import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bs58 from 'bs58';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { localDateOf } from '../../electron/shared/domain/local-days';
import { createSalesReports, type SalesReports } from '../../electron/core/ledger/sales-reports';
import type { Sale, SaleStatus } from '../../electron/shared/domain/sale';
import { csvField, csvRow, SALES_CSV_HEADER, writeSalesCsv } from '../../electron/core/export/sales-csv';
import { prng } from '../support/prng';

// Every answer of the sales log, its totals, chart and export is checked
// against a brute-force computation over the same generated sales.

const TZ = 'America/New_York'; // DST ends 2026-11-01 inside the generated range
let dir: string;
let ledger: Ledger;
let reports: SalesReports;
let all: Sale[];


beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'counter-reports-'));
  let clock = Date.parse('2026-10-20T10:00:00Z');
  ledger = createLedger({ dir, timeZone: TZ, now: () => clock });
  reports = createSalesReports(ledger);
  const rand = prng(42);
  const destination = bs58.encode(Buffer.alloc(32, 7));
  for (let i = 0; i < 2_500; i++) {
    clock += Math.floor(rand() * 30 * 60_000); // up to 30 min apart, sometimes the same ms
    const currency = rand() < 0.7 ? 'usd' : rand() < 0.5 ? 'eur' : 'cad';
    const mode = rand() < 0.8 ? 'live' : 'sandbox';
    const amount = [125, 500, 1250, 99, 2000][Math.floor(rand() * 5)]! + (rand() < 0.3 ? Math.floor(rand() * 1000) : 0);
    const sale = ledger.createSale({ amount, currency, mode, destination });
    ledger.attachIntent(sale.id, { intentId: bs58.encode(randomBytes(32)) });
    const roll = rand();
    if (roll < 0.6) ledger.recordProof({ saleId: sale.id, source: 'webhook', quarks: amount * 10_000, exchangeRate: 0.00001, payload: 'x' });
    else if (roll < 0.75) ledger.cancel(sale.id);
    else if (roll < 0.9) ledger.expire(sale.id);
    if (roll >= 0.6 && roll < 0.8 && rand() < 0.3) ledger.recordProof({ saleId: sale.id, source: 'status_poll', payload: {} });
  }
  all = ledger.listSales({ mode: 'all' }, { limit: 500 }).sales;
  for (let page = ledger.listSales({ mode: 'all' }, { limit: 500 }); page.nextCursor; ) {
    page = ledger.listSales({ mode: 'all' }, { limit: 500, cursor: page.nextCursor });
    all.push(...page.sales);
  }
  all = all.map((s) => ledger.getSale(s.id));
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

function bruteForce(f: Filter): Sale[] {
  return all
    .filter((s) => (f.mode ?? 'live') === 'all' || s.mode === (f.mode ?? 'live'))
    .filter((s) => !f.status || f.status.includes(s.status))
    .filter((s) => !f.from || localDateOf(s.createdAt, TZ) >= f.from)
    .filter((s) => !f.to || localDateOf(s.createdAt, TZ) <= f.to)
    .filter((s) => {
      if (!f.search) return true;
      if (/^\d+(\.\d{1,2})?$/.test(f.search)) return s.amount === Math.round(Number(f.search) * 100);
      return s.intentId!.startsWith(f.search);
    })
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

function pageThrough(f: Filter, limit: number): number[] {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page = ledger.listSales(f, { limit, cursor });
    ids.push(...page.sales.map((s) => s.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
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
  { search: '12.50', mode: 'all' },
  { search: '5' },
  { to: '2026-10-22' },
  { from: '2026-12-01' },
];

describe('sales log against brute force', () => {
  it.each(FILTERS)('lists and pages %j exactly', (f) => {
    const expected = bruteForce(f).map((s) => s.id);
    expect(pageThrough(f, 37)).toEqual(expected);
    expect(reports.countSales(f)).toBe(expected.length);
  });

  it('finds sales by the start of their intent id', () => {
    const target = all[123]!;
    const prefix = target.intentId!.slice(0, 5);
    const f = { search: prefix, mode: 'all' as const };
    expect(pageThrough(f, 50)).toEqual(bruteForce(f).map((s) => s.id));
    expect(pageThrough(f, 50)).toContain(target.id);
  });

  it.each(FILTERS)('totals %j per currency exactly', (f) => {
    const expected = new Map<string, Record<string, number | string>>();
    for (const s of bruteForce(f)) {
      const t = expected.get(s.currency) ?? { currency: s.currency, count: 0, paidCount: 0, paidAmount: 0, unpaidCount: 0, unpaidAmount: 0, pendingCount: 0, cancelledCount: 0, expiredCount: 0, paidLateCount: 0 };
      t.count = (t.count as number) + 1;
      if (s.status === 'paid') {
        t.paidCount = (t.paidCount as number) + 1;
        t.paidAmount = (t.paidAmount as number) + s.amount;
      } else {
        t.unpaidCount = (t.unpaidCount as number) + 1;
        t.unpaidAmount = (t.unpaidAmount as number) + s.amount;
      }
      t[`${s.status}Count`] = (t[`${s.status}Count`] as number) + (s.status === 'paid' ? 0 : 1);
      if (s.paidLate) t.paidLateCount = (t.paidLateCount as number) + 1;
      expected.set(s.currency, t);
    }
    expect(reports.rangeTotals(f)).toEqual([...expected.values()].sort((a, b) => String(a.currency).localeCompare(String(b.currency))));
  });

  it('day totals match brute force, day by day, across the DST change', () => {
    const f = { from: '2026-10-20', to: '2026-11-10' };
    const expected = new Map<string, { date: string; currency: string; count: number; paidAmount: number }>();
    for (const s of bruteForce(f)) {
      const date = localDateOf(s.createdAt, TZ);
      const key = `${date}/${s.currency}`;
      const t = expected.get(key) ?? { date, currency: s.currency, count: 0, paidAmount: 0 };
      t.count++;
      if (s.status === 'paid') t.paidAmount += s.amount;
      expected.set(key, t);
    }
    const actual = ledger.dayTotals(f).map((d) => ({ date: d.date, currency: d.currency, count: d.count, paidAmount: d.paidAmount }));
    expect(actual).toEqual([...expected.values()].sort((a, b) => a.date.localeCompare(b.date) || a.currency.localeCompare(b.currency)));
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
      expect(bucket.paid.usd ?? 0).toBe(inBucket.filter((s) => s.status === 'paid' && s.currency === 'usd').reduce((n, s) => n + s.amount, 0));
    }
    const month = reports.chart({ from: '2026-10-20', to: '2026-11-10' });
    expect(month.unit).toBe('day');
    expect(month.buckets.map((b) => b.label)).toHaveLength(22);
    const totals = ledger.dayTotals({ from: '2026-10-20', to: '2026-11-10' });
    for (const bucket of month.buckets) {
      expect(bucket.count).toBe(totals.filter((t) => t.date === bucket.label).reduce((n, t) => n + t.count, 0));
    }
  });

  it('summarises a day: count, taken and not paid per currency, by status, first and last sale', () => {
    const summary = reports.daySummary('2026-10-30');
    const day = bruteForce({ from: '2026-10-30', to: '2026-10-30' });
    expect(summary.count).toBe(day.length);
    expect(summary.firstSaleAt).toBe(Math.min(...day.map((s) => s.createdAt)));
    expect(summary.lastSaleAt).toBe(Math.max(...day.map((s) => s.createdAt)));
    for (const status of ['paid', 'pending', 'cancelled', 'expired'] as const) {
      expect(summary.byStatus[status]).toBe(day.filter((s) => s.status === status).length);
    }
    const paid = day.filter((s) => s.status === 'paid');
    expect(summary.totals.reduce((n, t) => n + t.paidAmount, 0)).toBe(paid.reduce((n, s) => n + s.amount, 0));
    expect(summary.totals.reduce((n, t) => n + t.unpaidAmount, 0)).toBe(day.filter((s) => s.status !== 'paid').reduce((n, s) => n + s.amount, 0));
    expect(reports.daySummary('2030-01-01')).toMatchObject({ count: 0, firstSaleAt: null, totals: [] });
    expect(() => reports.daySummary('yesterday')).toThrow(/date/);
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
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const progress: number[] = [];
    const written = await writeSalesCsv(reports, f, sink, (p) => progress.push(p.written));
    sink.end();
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parse(text, { bom: true }) as string[][];
    expect(header).toEqual([...SALES_CSV_HEADER]);
    const expected = bruteForce(f).reverse();
    expect(written).toBe(expected.length);
    expect(rows.map((r) => Number(r[0]))).toEqual(expected.map((s) => s.id));
    expect(progress[progress.length - 1]).toBe(expected.length);
    const paid = expected.findIndex((s) => s.status === 'paid' && s.quarks !== null);
    const row = Object.fromEntries(header!.map((h, i) => [h, rows[paid]![i]]));
    const sale = expected[paid]!;
    expect(row.amount).toBe((sale.amount / 100).toFixed(2));
    expect(row.currency).toBe(sale.currency.toUpperCase());
    expect(Date.parse(row.created_at!)).toBe(sale.createdAt);
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]0[45]:00$/);
    expect(Number(row.kin) * 100_000).toBeCloseTo(sale.quarks!, 0);
    // Both sides of the DST change carry their own offset.
    const offsets = new Set(rows.map((r) => r[1]!.slice(-6)));
    expect([...offsets].sort()).toEqual(['-04:00', '-05:00']);
  });
});
