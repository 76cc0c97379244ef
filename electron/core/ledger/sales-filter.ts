import { nextLocalDate, startOfLocalDay } from '../../shared/domain/local-days';
import type { SalesFilterParsed } from '../../shared/domain/sales-filter';
import { MODES } from '../../shared/domain/sale';

/** A WHERE clause as its conditions (ANDed) and their named parameters. */
export interface FilterClause {
  where: string[];
  params: Record<string, unknown>;
}

/** The rollup's bucket width (migrations 6 and 7): every zone's day and hour boundaries fall on one. */
export const ROLLUP_BUCKET_MS = 900_000;

/** The WHERE clause (and its named parameters) shared by the sales log, its totals and the export. */
export function salesFilterClause(f: SalesFilterParsed, timeZone: string, table = ''): FilterClause {
  const col = (name: string) => `${table}${name}`;
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const mode = f.mode ?? 'live';
  if (mode !== 'all') {
    where.push(`${col('mode')} = @mode`);
    params.mode = mode;
  }
  if (f.status) {
    // 'partly_paid' is stored as 'pending' with money taken: the stored
    // statuses go in an IN list (the status indexes serve it), and only when
    // just one of pending / partly paid is asked for does paid_amount split them.
    const stored = [...new Set(f.status.map((s) => (s === 'partly_paid' ? 'pending' : s)))];
    where.push(`${col('status')} IN (${stored.map((_, i) => `@status${i}`).join(', ')})`);
    stored.forEach((s, i) => (params[`status${i}`] = s));
    const pending = f.status.includes('pending');
    const partly = f.status.includes('partly_paid');
    if (pending !== partly) where.push(`(${col('status')} <> 'pending' OR ${col('paid_amount')} ${partly ? '>' : '='} 0)`);
  }
  if (f.from) {
    where.push(`${col('created_at')} >= @fromMs`);
    params.fromMs = startOfLocalDay(f.from, timeZone);
  }
  if (f.to) {
    where.push(`${col('created_at')} < @toMs`);
    params.toMs = startOfLocalDay(nextLocalDate(f.to), timeZone);
  }
  const search = f.search;
  if (search) {
    // Any of the readings of the search text may match ("52": sale 52 or 52.00).
    const any: string[] = [];
    if (search.saleId !== undefined) {
      any.push(`${col('id')} = @searchId`);
      params.searchId = search.saleId;
    }
    if (search.amount !== undefined) {
      any.push(`${col('amount')} = @searchAmount`);
      params.searchAmount = search.amount;
    }
    if (search.intentPrefix !== undefined) {
      // Intents belong to the sale's Code tenders. A range, not LIKE: it uses
      // the tenders' intent index and base58 is case-sensitive.
      any.push(`${col('id')} IN (SELECT sale_id FROM tenders WHERE intent_id >= @intentFrom AND intent_id < @intentTo)`);
      params.intentFrom = search.intentPrefix;
      params.intentTo = `${search.intentPrefix}\u{10FFFF}`;
    }
    where.push(any.length === 1 ? any[0]! : `(${any.join(' OR ')})`);
  }
  return { where, params };
}

/** Whether every instant in `boundaries` starts a rollup bucket. */
export function onRollupBuckets(boundaries: Iterable<number>): boolean {
  for (const ms of boundaries) if (ms % ROLLUP_BUCKET_MS !== 0) return false;
  return true;
}

/**
 * The same filter over the rollup table (sales_rollup), or null when the
 * rollup cannot answer it exactly: a search names single sales, and a range
 * whose ends are not on a quarter hour (a zone's offset before 1972, say)
 * would cut a bucket in two. The rollup is keyed by the derived state, so
 * the status filter is a plain IN list on it.
 */
export function rollupFilterClause(f: SalesFilterParsed, timeZone: string, table = ''): FilterClause | null {
  if (f.search) return null;
  const col = (name: string) => `${table}${name}`;
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const mode = f.mode ?? 'live';
  // Both modes as an IN list, not no condition: mode leads the primary key.
  where.push(mode === 'all' ? `${col('mode')} IN (${MODES.map((m) => `'${m}'`).join(', ')})` : `${col('mode')} = @mode`);
  if (mode !== 'all') params.mode = mode;
  if (f.status) {
    where.push(`${col('state')} IN (${f.status.map((_, i) => `@state${i}`).join(', ')})`);
    f.status.forEach((s, i) => (params[`state${i}`] = s));
  }
  const from = f.from ? startOfLocalDay(f.from, timeZone) : null;
  const to = f.to ? startOfLocalDay(nextLocalDate(f.to), timeZone) : null;
  if (!onRollupBuckets([from ?? 0, to ?? 0])) return null;
  if (from !== null) {
    where.push(`${col('bucket')} >= @fromBucket`);
    params.fromBucket = from / ROLLUP_BUCKET_MS;
  }
  if (to !== null) {
    where.push(`${col('bucket')} < @toBucket`);
    params.toBucket = to / ROLLUP_BUCKET_MS;
  }
  return { where, params };
}
