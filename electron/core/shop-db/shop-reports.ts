import type { Refund } from '../../shared/domain/refund';
import type { PaymentEvent } from '../../shared/domain/sale';
import type { SalesFilterParsed } from '../../shared/domain/sales-filter';
import { tillLabel, type ShopSale, type ShopSalesPage, type ShopTill } from '../../shared/domain/shop-view';
import type { CurrencyTotals, DaySummary, SalesChart } from '../../shared/domain/totals';
import { LedgerError } from '../ledger/errors';
import { positiveId } from '../ledger/input-schemas';
import { parseInput } from '../ledger/parse-input';
import { toRefund } from '../ledger/refund-store';
import {
  chartFrame,
  dayRange,
  DEFAULT_PAGE_SIZE,
  fillChart,
  filterRange,
  foldByRange,
  foldTotals,
  pageInput,
  parseDaySummaryArgs,
  parseSalesFilter,
  reportDays,
  summarizeDay,
  type RefundSums,
  type StateSums,
} from '../ledger/report-folding';
import { toSale } from '../ledger/sale-row';
import { toEvent } from '../ledger/sales-store';
import { parseTillId, parseTillScope, shopFilterClause, sqlParams, whereSql } from './shop-filter';
import {
  decodeCursor,
  encodeCursor,
  SHOP_EVENT_SELECT,
  SHOP_REFUND_JOINS,
  SHOP_REFUND_SELECT,
  SHOP_SALE_JOINS,
  SHOP_SALE_SELECT,
  SHOP_TENDER_JOINS,
  SHOP_TENDER_SELECT,
  shopCursor,
  toShopEventRow,
  toShopRefundRow,
  toShopSaleRow,
  toShopTenderRow,
  withNumbers,
  type ShopTenderRow,
} from './shop-sale-rows';
import type { ShopDatabaseConnection } from './shop-database';

/**
 * The owner's shop view (issue 16): the sales log's reads (listSales,
 * rangeTotals, chart, daySummary in ../ledger/sales-queries.ts) over the
 * shop database, across every till or for one (`tillId`). Same filter, same
 * answers: for one till they equal what that till's own ledger says.
 *
 * Everything but the SQL is the ledger's own: the filter and its words
 * (report-folding.ts, parse-input.ts), the days and buckets of the shop's
 * time zone, computed here and never by the PostgreSQL session's TimeZone,
 * and the folding of per-state sums into per-currency totals. A tillId of
 * no till answers empty reports; a tillId that is not a UUID is refused.
 */
export interface ShopReports {
  /** Every till that has pushed, oldest first; `thisTill` marks the till this core runs. */
  tills(): Promise<ShopTill[]>;
  listSales(filter: unknown, page?: { cursor?: string | null; limit?: number }, tillId?: string | null): Promise<ShopSalesPage>;
  rangeTotals(filter: unknown, tillId?: string | null): Promise<CurrencyTotals[]>;
  chart(filter: unknown, tillId?: string | null): Promise<SalesChart>;
  daySummary(date: unknown, mode?: unknown, tillId?: string | null): Promise<DaySummary>;
  /**
   * One sale of one till, its payment events and its refunds, exactly as
   * that till's own getSale answers (with its till): read only, for the
   * owner. An unknown sale or till is the ledger's not-found.
   */
  sale(tillId: unknown, saleId: unknown): Promise<{ sale: ShopSale; events: PaymentEvent[]; refunds: Refund[] }>;
}

export interface ShopReportsOptions {
  db: Pick<ShopDatabaseConnection, 'query'>;
  /** The shop's IANA zone: its days bound every report. */
  timeZone: string;
  /** The till this core runs, for `thisTill`. */
  thisTillId: string;
}

const shopPageInput = pageInput(shopCursor);

/** The derived state of `saleStateSql` (../ledger/sale-row.ts) in PostgreSQL's words. */
const STATE = `CASE WHEN s.status = 'pending' AND s.paid_amount > 0 THEN 'partly_paid' ELSE s.status END`;

/** StateSums over the sales `s`, grouped by currency and state: bigint sums, counts by FILTER. */
const SALES_SUMS = `s.currency AS currency, ${STATE} AS state, count(*) AS "saleCount", sum(s.amount)::bigint AS amount,
  sum(s.paid_amount)::bigint AS "paidAmount", sum(s.code_amount)::bigint AS "codeAmount", sum(s.cash_amount)::bigint AS "cashAmount",
  sum(s.other_amount)::bigint AS "otherAmount", sum(s.change_given)::bigint AS "changeGiven", sum(s.paid_late)::bigint AS "paidLateCount",
  sum(s.tip_amount)::bigint AS "tipAmount", count(*) FILTER (WHERE s.tip_amount > 0) AS "tippedCount"`;
const SUM_NUMBERS = ['saleCount', 'amount', 'paidAmount', 'codeAmount', 'cashAmount', 'otherAmount', 'changeGiven', 'paidLateCount', 'tipAmount', 'tippedCount', 'i'];
const REFUND_NUMBERS = ['refunds', 'refundCount'];

export function createShopReports({ db, timeZone, thisTillId }: ShopReportsOptions): ShopReports {
  // PostgreSQL spells a uuid in lower case.
  const thisTill = thisTillId.toLowerCase();
  const query = async <T>(sql: string, values: unknown[], numbers: readonly string[]): Promise<T[]> =>
    (await db.query<Record<string, unknown>>(sql, values)).map((row) => withNumbers<T>(row, numbers));

  /** Per-currency totals of what `f` matches in `till`, with the refunds made over its range. */
  async function totalsOf(f: SalesFilterParsed, till: string | null): Promise<CurrencyTotals[]> {
    const params = sqlParams();
    const where = shopFilterClause(f, timeZone, till, params);
    const sql = `SELECT ${SALES_SUMS} FROM sales s ${whereSql(where)} GROUP BY s.currency, state ORDER BY s.currency`;
    const [sums, refunds] = await Promise.all([query<StateSums>(sql, params.values, SUM_NUMBERS), refundsOf(f, till)]);
    return foldTotals(sums, refunds);
  }

  /**
   * The refunds made over the filter's range, by refund time, per currency,
   * against the sales the filter matches apart from its dates (its mode,
   * statuses, search and till).
   */
  async function refundsOf(f: SalesFilterParsed, till: string | null): Promise<RefundSums[]> {
    const params = sqlParams();
    const [start, end] = filterRange(f, timeZone);
    const where = [`r.created_at >= ${params.add(start)}`, `r.created_at < ${params.add(end)}`, ...shopFilterClause(f, timeZone, till, params, { dates: false })];
    const sql = `SELECT r.currency AS currency, sum(r.amount)::bigint AS refunds, count(*) AS "refundCount"
      FROM refunds r JOIN sales s ON s.till_id = r.till_id AND s.local_id = r.sale_id
      ${whereSql(where)} GROUP BY r.currency ORDER BY r.currency`;
    return await query<RefundSums>(sql, params.values, REFUND_NUMBERS);
  }

  /** The tenders of a page's sales, by till and sale, each in seq order: one query for the page. */
  async function tendersOf(sales: ReadonlyArray<{ till_id: string; id: number }>): Promise<Map<string, ShopTenderRow[]>> {
    const bySale = new Map<string, ShopTenderRow[]>();
    if (!sales.length) return bySale;
    const sql = `SELECT ${SHOP_TENDER_SELECT} FROM tenders t ${SHOP_TENDER_JOINS}
      WHERE (t.till_id, t.sale_id) IN (SELECT * FROM unnest($1::uuid[], $2::bigint[]))
      ORDER BY t.till_id, t.sale_id, t.seq`;
    const found = await db.query<Record<string, unknown>>(sql, [sales.map((s) => s.till_id), sales.map((s) => s.id)]);
    for (const row of found.map(toShopTenderRow)) {
      const key = `${row.till_id}.${row.sale_id}`;
      const list = bySale.get(key);
      if (list) list.push(row);
      else bySale.set(key, [row]);
    }
    return bySale;
  }

  /** The ledger's not-found for a sale, saying whether the till itself is unknown to the shop database. */
  async function noSale(till: string, id: number): Promise<LedgerError> {
    const known = await db.query('SELECT 1 FROM tills WHERE id = $1', [till]);
    return new LedgerError('not-found', known.length ? `No sale with id ${id} on till ${till}` : `No till with id ${till} in the shop database`);
  }

  const saleTill = (id: string, shopName: string, tillName: string) => ({ id, label: tillLabel(shopName, tillName, id), thisTill: id === thisTill });

  return {
    async tills() {
      const found = await db.query<{ id: string; shop_name: string; till_name: string; last_push: string; sales: string }>(
        `SELECT t.id, t.shop_name, t.till_name, floor(extract(epoch FROM t.last_push) * 1000)::bigint AS last_push,
           (SELECT count(*) FROM sales s WHERE s.till_id = t.id) AS sales
         FROM tills t ORDER BY t.first_seen, t.id`,
      );
      return found.map((t) => ({ ...saleTill(t.id, t.shop_name, t.till_name), shopName: t.shop_name, tillName: t.till_name, lastPush: Number(t.last_push), sales: Number(t.sales) }));
    },

    /** Newest first, keyset-paged on (created_at, till_id, local_id); each sale with its tenders and its till. */
    async listSales(filter, page = {}, tillId) {
      const f = parseSalesFilter(filter);
      const p = parseInput(shopPageInput, page, 'page');
      const till = parseTillScope(tillId);
      const limit = p.limit ?? DEFAULT_PAGE_SIZE;
      const params = sqlParams();
      const where = shopFilterClause(f, timeZone, till, params);
      const cursor = p.cursor ? decodeCursor(p.cursor) : null;
      if (cursor) {
        const at = params.add(cursor.createdAt);
        // The first condition is implied by the second; it bounds the index range, with one till or all.
        where.push(`s.created_at <= ${at}`, `(s.created_at, s.till_id, s.local_id) < (${at}, ${params.add(cursor.tillId)}::uuid, ${params.add(cursor.localId)})`);
      }
      const sql = `SELECT ${SHOP_SALE_SELECT} FROM sales s ${SHOP_SALE_JOINS} ${whereSql(where)}
        ORDER BY s.created_at DESC, s.till_id DESC, s.local_id DESC LIMIT ${params.add(limit + 1)}`;
      const found = (await db.query<Record<string, unknown>>(sql, params.values)).map(toShopSaleRow);
      const rows = found.slice(0, limit);
      const tenders = await tendersOf(rows);
      const sales: ShopSale[] = rows.map((r) => ({ ...toSale(r, tenders.get(`${r.till_id}.${r.id}`) ?? []), till: saleTill(r.till_id, r.shop_name, r.till_name) }));
      const last = rows[rows.length - 1];
      return { sales, nextCursor: found.length > limit && last ? encodeCursor({ createdAt: last.created_at, tillId: last.till_id, localId: last.id }) : null };
    },

    /** The sale, its tenders (seq order), events and refunds (each in the till's id order), people named by (till_id, local_id). */
    async sale(tillId, saleId) {
      const till = parseTillId(tillId);
      const id = parseInput(positiveId, saleId, 'sale id');
      const key = [till, id];
      const [[found], tenders, events, refunds] = await Promise.all([
        db.query<Record<string, unknown>>(`SELECT ${SHOP_SALE_SELECT} FROM sales s ${SHOP_SALE_JOINS} WHERE s.till_id = $1 AND s.local_id = $2`, key),
        tendersOf([{ till_id: till, id }]),
        db.query<Record<string, unknown>>(`SELECT ${SHOP_EVENT_SELECT} FROM payment_events e WHERE e.till_id = $1 AND e.sale_id = $2 ORDER BY e.local_id`, key),
        db.query<Record<string, unknown>>(`SELECT ${SHOP_REFUND_SELECT} FROM refunds r ${SHOP_REFUND_JOINS} WHERE r.till_id = $1 AND r.sale_id = $2 ORDER BY r.local_id`, key),
      ]);
      if (!found) throw await noSale(till, id);
      const r = toShopSaleRow(found);
      return {
        sale: { ...toSale(r, tenders.get(`${till}.${id}`) ?? []), till: saleTill(r.till_id, r.shop_name, r.till_name) },
        events: events.map((e) => toEvent(toShopEventRow(e))),
        refunds: refunds.map((f) => toRefund(toShopRefundRow(f))),
      };
    },

    async rangeTotals(filter, tillId) {
      const f = parseSalesFilter(filter);
      return await totalsOf(f, parseTillScope(tillId));
    },

    /** One bucket per hour for a single day, one per day for longer ranges; each sale counted in its bucket by width_bucket. */
    async chart(filter, tillId) {
      const f = parseSalesFilter(filter);
      const till = parseTillScope(tillId);
      const { chart, ranges } = chartFrame(reportDays(f, 'The chart and its totals', timeZone), timeZone);
      const params = sqlParams();
      // The filter's dates are exactly the buckets' span, so every sale it matches falls in one.
      const where = shopFilterClause(f, timeZone, till, params);
      const starts = params.add(ranges.map(([start]) => start));
      const sql = `SELECT width_bucket(s.created_at, ${starts}::bigint[]) - 1 AS i, ${SALES_SUMS}
        FROM sales s ${whereSql(where)} GROUP BY i, s.currency, state ORDER BY i, s.currency`;
      return fillChart(chart, foldByRange(await query<StateSums & { i: number }>(sql, params.values, SUM_NUMBERS)));
    },

    async daySummary(date, mode = 'live', tillId) {
      const day = parseDaySummaryArgs(date, mode);
      const till = parseTillScope(tillId);
      const f = parseSalesFilter({ from: day.date, to: day.date, mode: day.mode });
      const params = sqlParams();
      const where = shopFilterClause(f, timeZone, till, params);
      const spanSql = `SELECT min(s.created_at) AS first, max(s.created_at) AS last, count(*) AS count FROM sales s ${whereSql(where)}`;
      const [totals, [span], drawerOpenings] = await Promise.all([
        totalsOf(f, till),
        query<{ first: number | null; last: number | null; count: number }>(spanSql, params.values, ['first', 'last', 'count']),
        drawerOpeningsOn(day.date, day.mode, till),
      ]);
      return summarizeDay(day.date, day.mode, totals, span!, drawerOpenings);
    },
  };

  /** How often the drawer was opened on a shop-time date, in a mode (or both), on one till or all: for cash tenders and for "No sale". */
  async function drawerOpeningsOn(date: string, mode: string, till: string | null): Promise<DaySummary['drawerOpenings']> {
    const params = sqlParams();
    const [start, end] = dayRange(date, timeZone);
    const where = [`d.at >= ${params.add(start)}`, `d.at < ${params.add(end)}`];
    if (mode !== 'all') where.push(`d.mode = ${params.add(mode)}`);
    if (till !== null) where.push(`d.till_id = ${params.add(till)}`);
    const sql = `SELECT count(*) FILTER (WHERE d.reason = 'cash') AS cash, count(*) FILTER (WHERE d.reason = 'no-sale') AS "noSale"
      FROM drawer_openings d ${whereSql(where)}`;
    const [row] = await query<DaySummary['drawerOpenings']>(sql, params.values, ['cash', 'noSale']);
    return row!;
  }
}
