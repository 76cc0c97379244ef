import { nextLocalDate, startOfLocalDay } from '../../shared/domain/local-days';
import type { SalesFilterParsed } from '../../shared/domain/sales-filter';

/** The WHERE clause (and its named parameters) shared by the sales log, its totals and the export. */
export function salesFilterClause(f: SalesFilterParsed, timeZone: string, table = ''): { where: string[]; params: Record<string, unknown> } {
  const col = (name: string) => `${table}${name}`;
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const mode = f.mode ?? 'live';
  if (mode !== 'all') {
    where.push(`${col('mode')} = @mode`);
    params.mode = mode;
  }
  if (f.status) {
    where.push(`${col('status')} IN (${f.status.map((_, i) => `@status${i}`).join(', ')})`);
    f.status.forEach((s, i) => (params[`status${i}`] = s));
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
      // A range, not LIKE: it uses the intent index and base58 is case-sensitive.
      any.push(`(${col('intent_id')} >= @intentFrom AND ${col('intent_id')} < @intentTo)`);
      params.intentFrom = search.intentPrefix;
      params.intentTo = `${search.intentPrefix}\u{10FFFF}`;
    }
    where.push(any.length === 1 ? any[0]! : `(${any.join(' OR ')})`);
  }
  return { where, params };
}
