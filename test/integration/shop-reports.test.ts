import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from '../../electron/core/ledger/errors';
import type { Ledger } from '../../electron/core/ledger/ledger';
import { createSalesQueries, type SalesQueries } from '../../electron/core/ledger/sales-queries';
import { SHOP_MIGRATIONS } from '../../electron/core/shop-db/migrations';
import { connectShopDatabase, type ShopDatabaseConnection } from '../../electron/core/shop-db/shop-database';
import { createShopReports, type ShopReports } from '../../electron/core/shop-db/shop-reports';
import { addDays, localDateOf } from '../../electron/shared/domain/local-days';
import type { Sale, SaleStatus } from '../../electron/shared/domain/sale';
import type { SalesFilter } from '../../electron/shared/domain/sales-filter';
import { tillLabel, type ShopSale } from '../../electron/shared/domain/shop-view';
import { emptyTotals, type CurrencyTotals, type DaySummary, type SalesChart } from '../../electron/shared/domain/totals';
import { caughtLedgerError, rejectedAs } from '../support/ledger-guard';
import { pushAll, tradingTill } from '../support/shop-report-tills';
import { usePostgres } from '../support/use-postgres';

/**
 * The owner's shop view against a real PostgreSQL server: three tills trade
 * for days (both modes, three currencies, every outcome, refunds of older
 * sales, drawer openings) and push everything; then, for each till, every
 * report of the shop view equals that till's own ledger's, and across the
 * tills it is their merge and their sum. The database's session TimeZone is
 * set far from the shop's, so a day computed by PostgreSQL would show.
 */

const server = usePostgres();

const TZ = 'America/New_York'; // clocks go back on 2026-11-01, inside the days traded
const SESSION_TZ = 'Pacific/Kiritimati'; // UTC+14: no New York day lines up with its days
const SHOP = 'Corner Café';
const START = Date.parse('2026-10-29T13:00:00Z');
const SALES_PER_TILL = 160;

let root: string;
let ledgers: Ledger[] = [];
let tillIds: string[] = [];
let url: string;
let shop: ShopDatabaseConnection;
let reports: ShopReports;
/** The dates traded, in shop time, first to last. */
const dates: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'counter-shop-reports-'));
  url = await server().database();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(new URL(url).pathname.slice(1))} SET TimeZone = '${SESSION_TZ}'`);
  await admin.end();
  shop = await connectShopDatabase({ url });
  ledgers = [11, 22, 33].map((seed) => tradingTill(mkdtempSync(join(root, 'till-')), { timeZone: TZ, start: START, sales: SALES_PER_TILL, seed }).ledger);
  for (const ledger of ledgers) await pushAll(ledger, shop, { shopName: SHOP, tillName: '' });
  tillIds = ledgers.map((l) => l.outbox.tillId());
  reports = createShopReports({ db: shop, timeZone: TZ, thisTillId: tillIds[0]! });
  const all = ledgers.flatMap((l) => ledgerPages(l.queries, { mode: 'all' }));
  const first = localDateOf(Math.min(...all.map((s) => s.createdAt)), TZ);
  const last = localDateOf(Math.max(...all.map((s) => s.createdAt)), TZ);
  for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
}, 60_000);

afterAll(async () => {
  await shop?.close();
  for (const ledger of ledgers) ledger.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every sale a ledger lists for `f`, page after page. */
function ledgerPages(q: SalesQueries, f: SalesFilter, limit = 50): Sale[] {
  const out: Sale[] = [];
  let cursor: string | null = null;
  do {
    const page = q.listSales(f, { limit, cursor });
    out.push(...page.sales);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Every sale the shop view lists for `f` and `tillId`, page after page. */
async function shopPages(f: SalesFilter, tillId?: string | null, limit = 50): Promise<ShopSale[]> {
  const out: ShopSale[] = [];
  let cursor: string | null = null;
  do {
    const page = await reports.listSales(f, { limit, cursor }, tillId);
    expect(page.sales.length).toBeLessThanOrEqual(limit);
    out.push(...page.sales);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const withoutTill = ({ till: _till, ...sale }: ShopSale): Sale => sale;
const keyOf = (s: { createdAt: number; id: number }, tillId: string) => `${s.createdAt}.${tillId}.${s.id}`;

/** The sales log's filters the tests run, each over every till; searches taken from the sales themselves. */
function filters(): SalesFilter[] {
  const [first, second, third] = [dates[0]!, dates[1]!, dates[2]!];
  const someIntent = ledgerPages(ledgers[1]!.queries, { mode: 'all' })
    .flatMap((s) => s.tenders)
    .find((t) => t.intentId)!.intentId!;
  const statuses: SaleStatus[] = ['pending', 'partly_paid', 'paid', 'cancelled', 'expired'];
  return [
    {},
    { mode: 'all' },
    { mode: 'sandbox' },
    { from: second, to: second },
    { from: '2026-11-01', to: '2026-11-01', mode: 'all' },
    { from: first, to: third, mode: 'all' },
    { from: third },
    { to: second, mode: 'sandbox' },
    ...statuses.map((s) => ({ status: [s], mode: 'all' as const })),
    { status: ['pending', 'partly_paid'] },
    { status: ['paid', 'cancelled'], from: first, to: third },
    { search: '#5', mode: 'all' },
    { search: '5', mode: 'all' },
    { search: '12.50', mode: 'all' },
    { search: '20', from: second, to: third },
    { search: someIntent.slice(0, 6), mode: 'all' },
    { search: someIntent.slice(0, 3), mode: 'all' },
  ];
}

/** The date filters, for the chart: one day (hour buckets) and several (day buckets). */
const ranged = () => filters().filter((f) => f.from && f.to);

describe('the shop view for one till', () => {
  it('lists every page of the sales log exactly as that till’s ledger does, under every filter', async () => {
    for (const [i, ledger] of ledgers.entries()) {
      const tillId = tillIds[i]!;
      for (const f of filters()) {
        const fromShop = await shopPages(f, tillId, 37);
        expect(fromShop.map(withoutTill), JSON.stringify(f)).toEqual(ledgerPages(ledger.queries, f));
        for (const s of fromShop) expect(s.till).toEqual({ id: tillId, label: tillLabel(SHOP, '', tillId), thisTill: i === 0 });
      }
    }
    // The filters are not empty for nothing: each search finds something on some till.
    for (const f of filters().filter((x) => x.search)) expect((await shopPages(f)).length, JSON.stringify(f)).toBeGreaterThan(0);
  });

  it('totals a range, charts it and sums up a day exactly as that till’s ledger does', async () => {
    for (const [i, ledger] of ledgers.entries()) {
      const tillId = tillIds[i]!;
      for (const f of filters()) expect(await reports.rangeTotals(f, tillId), JSON.stringify(f)).toEqual(ledger.queries.rangeTotals(f));
      for (const f of ranged()) expect(await reports.chart(f, tillId), JSON.stringify(f)).toEqual(ledger.queries.chart(f));
      for (const date of dates) {
        for (const mode of ['live', 'sandbox', 'all'] as const) {
          expect(await reports.daySummary(date, mode, tillId), `${date} ${mode}`).toEqual(ledger.queries.daySummary(date, mode));
        }
      }
    }
  });

  it('covers what matters: refunds of older sales, every state, drawer openings, both modes and three currencies', () => {
    const totals = ledgers.flatMap((l) => l.queries.rangeTotals({ mode: 'all' }));
    expect(new Set(totals.map((t) => t.currency))).toEqual(new Set(['cad', 'eur', 'usd']));
    const sum = (pick: (t: CurrencyTotals) => number) => totals.reduce((n, t) => n + pick(t), 0);
    for (const pick of [
      (t: CurrencyTotals) => t.pendingCount,
      (t: CurrencyTotals) => t.partlyPaidCount,
      (t: CurrencyTotals) => t.cancelledCount,
      (t: CurrencyTotals) => t.expiredCount,
      (t: CurrencyTotals) => t.paidLateCount,
      (t: CurrencyTotals) => t.tippedCount,
      (t: CurrencyTotals) => t.refundCount,
    ]) {
      expect(sum(pick)).toBeGreaterThan(0);
    }
    // A day's refunds include some of sales rung up on an earlier day.
    const dayRefunds = dates.flatMap((d) => ledgers.flatMap((l) => l.queries.daySummary(d, 'all').totals.map((t) => t.refundCount)));
    expect(dayRefunds.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const drawers = dates.map((d) => ledgers.map((l) => l.queries.daySummary(d, 'all').drawerOpenings));
    expect(drawers.flat().some((o) => o.noSale > 0)).toBe(true);
    expect(ledgers[0]!.queries.rangeTotals({ mode: 'sandbox' }).length).toBeGreaterThan(0);
  });
});

/** Per-currency totals of several tills added up, as the shop's totals must be. */
function addTotals(lists: readonly CurrencyTotals[][]): CurrencyTotals[] {
  const byCurrency = new Map<string, CurrencyTotals>();
  for (const t of lists.flat()) {
    const sum = byCurrency.get(t.currency) ?? emptyTotals(t.currency);
    for (const key of Object.keys(t) as Array<keyof CurrencyTotals>) {
      if (typeof t[key] === 'number') (sum[key] as number) += t[key];
    }
    for (const kind of ['code', 'cash', 'other'] as const) sum.byTender[kind] += t.byTender[kind];
    byCurrency.set(t.currency, sum);
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

function addCharts(charts: readonly SalesChart[]): SalesChart {
  const [first, ...rest] = charts;
  const sum = structuredClone(first!);
  for (const chart of rest) {
    expect(chart.buckets.map((b) => [b.start, b.label])).toEqual(sum.buckets.map((b) => [b.start, b.label]));
    chart.buckets.forEach((b, i) => {
      const into = sum.buckets[i]!;
      into.count += b.count;
      for (const [currency, paid] of Object.entries(b.paid)) into.paid[currency] = (into.paid[currency] ?? 0) + paid;
    });
  }
  return sum;
}

function addSummaries(days: readonly DaySummary[]): DaySummary {
  const firsts = days.map((d) => d.firstSaleAt).filter((x): x is number => x !== null);
  const lasts = days.map((d) => d.lastSaleAt).filter((x): x is number => x !== null);
  const byStatus = { ...days[0]!.byStatus };
  for (const d of days.slice(1)) for (const s of Object.keys(byStatus) as SaleStatus[]) byStatus[s] += d.byStatus[s];
  return {
    date: days[0]!.date,
    mode: days[0]!.mode,
    totals: addTotals(days.map((d) => d.totals)),
    byStatus,
    firstSaleAt: firsts.length ? Math.min(...firsts) : null,
    lastSaleAt: lasts.length ? Math.max(...lasts) : null,
    count: days.reduce((n, d) => n + d.count, 0),
    drawerOpenings: {
      cash: days.reduce((n, d) => n + d.drawerOpenings.cash, 0),
      noSale: days.reduce((n, d) => n + d.drawerOpenings.noSale, 0),
    },
  };
}

describe('the shop view across every till', () => {
  it('lists the three tills’ sales merged newest first (then by till and number), none missing or twice', async () => {
    for (const f of filters()) {
      const expected = ledgers
        .flatMap((l, i) => ledgerPages(l.queries, f).map((sale) => ({ key: keyOf(sale, tillIds[i]!), sale, tillId: tillIds[i]! })))
        .sort((a, b) => b.sale.createdAt - a.sale.createdAt || (a.tillId < b.tillId ? 1 : a.tillId > b.tillId ? -1 : b.sale.id - a.sale.id));
      const listed = await shopPages(f, undefined, 29);
      expect(listed.length, JSON.stringify(f)).toBeGreaterThan(0);
      expect(listed.map((s) => keyOf(s, s.till.id)), JSON.stringify(f)).toEqual(expected.map((e) => e.key));
      expect(new Set(listed.map((s) => keyOf(s, s.till.id))).size).toBe(listed.length);
      expect(listed.map(withoutTill)).toEqual(expected.map((e) => e.sale));
      expect((await shopPages(f, null, 500)).map((s) => keyOf(s, s.till.id))).toEqual(expected.map((e) => e.key));
    }
  });

  it('the sale-number search finds that number on every till', async () => {
    const found = await shopPages({ search: '#5', mode: 'all' });
    expect(found.map((s) => s.id)).toEqual([5, 5, 5]);
    expect(new Set(found.map((s) => s.till.id))).toEqual(new Set(tillIds));
  });

  it('sales are tied in the same millisecond on several tills, and the keyset order breaks the tie by till', async () => {
    const listed = await shopPages({ mode: 'all' });
    const tied = listed.filter((s, i) => i > 0 && listed[i - 1]!.createdAt === s.createdAt && listed[i - 1]!.till.id !== s.till.id);
    expect(tied.length).toBeGreaterThan(0);
  });

  it('totals, charts and sums up a day as the three tills added up', async () => {
    for (const f of filters()) {
      expect(await reports.rangeTotals(f), JSON.stringify(f)).toEqual(addTotals(ledgers.map((l) => l.queries.rangeTotals(f))));
    }
    for (const f of ranged()) expect(await reports.chart(f, null), JSON.stringify(f)).toEqual(addCharts(ledgers.map((l) => l.queries.chart(f))));
    for (const date of dates) {
      for (const mode of ['live', 'sandbox', 'all'] as const) {
        expect(await reports.daySummary(date, mode), `${date} ${mode}`).toEqual(addSummaries(ledgers.map((l) => l.queries.daySummary(date, mode))));
      }
    }
  });

  it('lists each till that pushed, oldest first, with its sales, last push and label', async () => {
    const tills = await reports.tills();
    expect(tills.map((t) => t.id)).toEqual(tillIds);
    for (const [i, t] of tills.entries()) {
      expect(t).toMatchObject({ shopName: SHOP, label: tillLabel(SHOP, '', tillIds[i]!), thisTill: i === 0, sales: ledgers[i]!.queries.countSales({ mode: 'all' }) });
      expect(Math.abs(t.lastPush - Date.now())).toBeLessThan(120_000);
    }
  });
});

describe('what the shop view refuses, and what it answers empty', () => {
  /** The ledger's error for `call`, and the shop view's for the same call. */
  async function bothRefuse(onLedger: (q: SalesQueries) => unknown, onShop: () => Promise<unknown>): Promise<[LedgerError, LedgerError]> {
    return [caughtLedgerError(() => onLedger(ledgers[0]!.queries)), await rejectedAs(LedgerError, onShop())];
  }

  it('a bad filter, page or date is refused with the ledger’s code and words', async () => {
    const badFilters: unknown[] = [
      { mode: 'test' },
      { from: '2026-13-01' },
      { from: '1500-01-01', to: '2026-01-01' },
      { from: '2026-11-03', to: '2026-11-01' },
      { search: '!!' },
      { status: [] },
      { till: 'x' },
      'today',
    ];
    for (const f of badFilters) {
      for (const [ledgerCall, shopCall] of [
        [(q: SalesQueries) => q.listSales(f), () => reports.listSales(f)],
        [(q: SalesQueries) => q.rangeTotals(f), () => reports.rangeTotals(f, tillIds[1])],
        [(q: SalesQueries) => q.chart(f), () => reports.chart(f)],
      ] as const) {
        const [expected, actual] = await bothRefuse(ledgerCall, shopCall);
        expect({ code: actual.code, message: actual.message }, JSON.stringify(f)).toEqual({ code: 'invalid-input', message: expected.message });
      }
    }
    const refusals: Array<[(q: SalesQueries) => unknown, () => Promise<unknown>]> = [
      [(q) => q.chart({ from: '2026-11-01' }), () => reports.chart({ from: '2026-11-01' })],
      [(q) => q.chart({ from: '2020-01-01', to: '2026-01-01' }), () => reports.chart({ from: '2020-01-01', to: '2026-01-01' }, tillIds[0])],
      [(q) => q.daySummary('yesterday'), () => reports.daySummary('yesterday')],
      [(q) => q.daySummary('2026-02-30', 'live'), () => reports.daySummary('2026-02-30', 'live', tillIds[2])],
      [(q) => q.daySummary('2026-11-01', 'test'), () => reports.daySummary('2026-11-01', 'test')],
      [(q) => q.listSales({}, { limit: 0 }), () => reports.listSales({}, { limit: 0 })],
      [(q) => q.listSales({}, { limit: 501 }), () => reports.listSales({}, { limit: 501 })],
      [(q) => q.listSales({}, { size: 5 }), () => reports.listSales({}, { size: 5 } as never)],
      [(q) => q.listSales({}, null), () => reports.listSales({}, null as never)],
    ];
    for (const [ledgerCall, shopCall] of refusals) {
      const [expected, actual] = await bothRefuse(ledgerCall, shopCall);
      expect({ code: actual.code, message: actual.message }).toEqual({ code: 'invalid-input', message: expected.message });
    }
  });

  it('a cursor the shop view did not issue is refused, one it issued is taken', async () => {
    const page = await reports.listSales({ mode: 'all' }, { limit: 3 });
    const issued = page.nextCursor!;
    expect(issued.length).toBeLessThanOrEqual(128);
    const [createdAt, tillId, id] = issued.split('.') as [string, string, string];
    const forged = [
      ledgers[0]!.queries.listSales({ mode: 'all' }, { limit: 3 }).nextCursor!, // the ledger's own
      `${createdAt}.${tillId.toUpperCase()}.${id}`,
      `0${createdAt}.${tillId}.${id}`,
      `${createdAt}.${tillId}.0`,
      `${createdAt}.${tillId}.${id}.`,
      `${createdAt}.${tillId.slice(0, 35)}.${id}`,
      `${createdAt}.${tillId}.99999999999999999`,
      `${createdAt}.${tillId}.${'1'.repeat(130)}`,
      `${createdAt}.${tillId}.${id}; DROP TABLE sales`,
      '',
    ];
    for (const cursor of forged) {
      const error = await rejectedAs(LedgerError, reports.listSales({ mode: 'all' }, { limit: 3, cursor }));
      expect({ code: error.code, message: error.message }, cursor).toEqual({ code: 'invalid-input', message: 'Invalid page: cursor: is not a cursor the shop view issued' });
    }
    // The ledger words its own refusal alike.
    expect(caughtLedgerError(() => ledgers[0]!.queries.listSales({}, { cursor: issued })).message).toBe('Invalid page: cursor: is not a cursor this ledger issued');
    const next = await reports.listSales({ mode: 'all' }, { limit: 3, cursor: issued });
    expect(next.sales[0]!.createdAt).toBeLessThanOrEqual(Number(createdAt));
  });

  it('a till id that is not a UUID is refused; a till that never pushed answers empty reports', async () => {
    for (const bad of ['till-1', 42, `${tillIds[0]}x`]) {
      const error = await rejectedAs(LedgerError, reports.rangeTotals({}, bad as string));
      expect(error.code).toBe('invalid-input');
      expect(error.message).toMatch(/till/);
    }
    const nobody = randomUUID();
    expect(await reports.listSales({ mode: 'all' }, {}, nobody)).toEqual({ sales: [], nextCursor: null });
    expect(await reports.rangeTotals({ mode: 'all' }, nobody)).toEqual([]);
    const chart = await reports.chart({ from: dates[0]!, to: dates[2]!, mode: 'all' }, nobody);
    expect(chart.buckets.map((b) => [b.count, b.paid])).toEqual(chart.buckets.map(() => [0, {}]));
    const day = await reports.daySummary(dates[1]!, 'all', nobody);
    expect(day).toMatchObject({ totals: [], count: 0, firstSaleAt: null, lastSaleAt: null, drawerOpenings: { cash: 0, noSale: 0 } });
  });

  it('days are the shop’s time zone given to the reports, never the database session’s', async () => {
    expect(await shop.query('SHOW TimeZone')).toEqual([{ TimeZone: SESSION_TZ }]);
    // The same ledger read in another zone, and the shop view given that zone: they agree, and differ from New York's days.
    const tokyo = createSalesQueries({ db: ledgers[2]!.database, timeZone: 'Asia/Tokyo', ensureOpen: () => {} });
    const inTokyo = createShopReports({ db: shop, timeZone: 'Asia/Tokyo', thisTillId: tillIds[0]! });
    let differs = false;
    for (const date of dates) {
      const there = await inTokyo.daySummary(date, 'all', tillIds[2]);
      expect(there).toEqual(tokyo.daySummary(date, 'all'));
      differs ||= there.count !== (await reports.daySummary(date, 'all', tillIds[2])).count;
    }
    expect(differs).toBe(true);
    const oneDay = { from: dates[2]!, to: dates[2]!, mode: 'all' as const };
    expect(await inTokyo.chart(oneDay, tillIds[2])).toEqual(tokyo.chart(oneDay));
    expect(await inTokyo.rangeTotals(oneDay, tillIds[2])).toEqual(tokyo.rangeTotals(oneDay));
  });
});

describe('the shop database behind it', () => {
  it('step 2 adds the report indexes to a database at step 1 that holds sales, and the reports read them', async () => {
    const at1 = await server().database();
    const old = await connectShopDatabase({ url: at1, migrations: SHOP_MIGRATIONS.slice(0, 1) });
    const { ledger } = tradingTill(mkdtempSync(join(root, 'till-')), { timeZone: TZ, start: START, sales: 30, seed: 44 });
    try {
      // Today's push also writes the till's name, which step 2 adds: the column is there for the push only, so the upgrade starts from step 1's tables.
      await old.query(`ALTER TABLE tills ADD COLUMN till_name text NOT NULL DEFAULT ''`);
      await pushAll(ledger, old, { shopName: SHOP, tillName: '' });
      await old.query('ALTER TABLE tills DROP COLUMN till_name');
      await old.close();
      const upgraded = await connectShopDatabase({ url: at1 });
      try {
        expect(upgraded.migration).toEqual({ from: 1, to: 2, applied: [2] });
        const indexes = (await upgraded.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`)).map((r) => r.indexname);
        expect(indexes).toEqual(expect.arrayContaining(['sales_by_created_till', 'sales_by_till_created', 'tenders_by_intent', 'refunds_by_created', 'drawer_openings_by_at']));
        expect(indexes).not.toContain('sales_by_created');
        const view = createShopReports({ db: upgraded, timeZone: TZ, thisTillId: ledger.outbox.tillId() });
        expect((await view.listSales({ mode: 'all' }, { limit: 500 })).sales.map(withoutTill)).toEqual(ledgerPages(ledger.queries, { mode: 'all' }));
        expect(await view.rangeTotals({ mode: 'all' })).toEqual(ledger.queries.rangeTotals({ mode: 'all' }));
      } finally {
        await upgraded.close();
      }
    } finally {
      ledger.close();
    }
  });

  it('the reports read sales, tenders, refunds and drawer openings by an index, never by a whole scan', async () => {
    const statements: Array<{ sql: string; params: unknown[] }> = [];
    const recorded = createShopReports({
      db: {
        query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
          statements.push({ sql, params });
          return shop.query<T>(sql, params);
        },
      },
      timeZone: TZ,
      thisTillId: tillIds[0]!,
    });
    const intent = (await shopPages({ status: ['paid'], mode: 'all' }, tillIds[2])).flatMap((s) => s.tenders).find((t) => t.intentId)!.intentId!;
    const day = { from: dates[1]!, to: dates[1]!, mode: 'all' as const };
    for (const tillId of [tillIds[1]!, null]) {
      const first = await recorded.listSales({ mode: 'all' }, { limit: 20 }, tillId);
      await recorded.listSales({ mode: 'all' }, { limit: 20, cursor: first.nextCursor }, tillId);
      await recorded.listSales({ search: intent.slice(0, 5), mode: 'all' }, {}, tillId);
      await recorded.rangeTotals(day, tillId);
      await recorded.chart(day, tillId);
      await recorded.daySummary(day.from, 'all', tillId);
    }
    await recorded.tills();
    // On this small a database a whole scan is cheapest; with it priced out, a plan that still scans a table has no index to use.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off');
      for (const { sql, params } of statements) {
        const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan, sql).not.toMatch(/Seq Scan on (sales|tenders|refunds|drawer_openings|people)\b/);
      }
    } finally {
      await client.end();
    }
    expect(statements.length).toBeGreaterThan(20);
  });
});
