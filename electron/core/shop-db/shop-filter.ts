import type { SalesFilterParsed } from '../../shared/domain/sales-filter';
import { LedgerError } from '../ledger/errors';
import { salesFilterClause } from '../ledger/sales-filter';

/**
 * The sales log's filter over the shop database's `sales` (PostgreSQL),
 * scoped to one till or all of them. Mode, statuses and dates are the
 * ledger's own clause (../ledger/sales-filter.ts), its named parameters
 * renumbered as $n: that SQL is plain enough for both databases, so the
 * two cannot drift. The search is written here, for three reasons the
 * ledger's cannot serve: a sale's number is `local_id`, a tender belongs to
 * a sale by (till_id, sale_id), and text ranges in PostgreSQL follow the
 * database's collation, so an intent prefix is a LIKE (base58 has no
 * wildcard characters) served by a text_pattern_ops index (migration 2).
 */

/** Positional parameters ($1, $2, …) collected as the SQL is written. */
export interface SqlParams {
  readonly values: unknown[];
  /** The placeholder of a new parameter holding `value`. */
  add(value: unknown): string;
}

export function sqlParams(): SqlParams {
  const values: unknown[] = [];
  return {
    values,
    add(value) {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

export const whereSql = (where: readonly string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which tills a report covers: a till's id, or null for every till. */
export function parseTillScope(tillId: unknown): string | null {
  if (tillId === undefined || tillId === null) return null;
  if (typeof tillId !== 'string' || !UUID.test(tillId)) {
    throw new LedgerError('invalid-input', 'Invalid till: must be a till id (a UUID), or none for every till');
  }
  return tillId.toLowerCase();
}

/** One till, which must be named (a sale's detail is that till's). */
export function parseTillId(tillId: unknown): string {
  if (typeof tillId !== 'string' || !UUID.test(tillId)) throw new LedgerError('invalid-input', 'Invalid till: must be a till id (a UUID)');
  return tillId.toLowerCase();
}

/**
 * The WHERE conditions of `f` on the sales row `alias` (with its dot) for
 * `till` (null: every till), their values added to `params`. `dates: false`
 * leaves the filter's dates out (the refunds, counted by refund time).
 */
export function shopFilterClause(
  f: SalesFilterParsed,
  timeZone: string,
  till: string | null,
  params: SqlParams,
  { alias = 's.', dates = true }: { alias?: string; dates?: boolean } = {},
): string[] {
  const ledger = salesFilterClause({ ...f, search: undefined, ...(dates ? {} : { from: undefined, to: undefined }) }, timeZone, alias);
  const placeholders = new Map<string, string>();
  const where = ledger.where.map((condition) =>
    condition.replace(/@(\w+)/g, (_, name: string) => {
      if (!(name in ledger.params)) throw new Error(`shop-filter: the ledger's clause names @${name} but gives no value`);
      let placeholder = placeholders.get(name);
      if (!placeholder) placeholders.set(name, (placeholder = params.add(ledger.params[name])));
      return placeholder;
    }),
  );
  if (till !== null) where.push(`${alias}till_id = ${params.add(till)}`);
  const search = f.search;
  if (search) {
    // Any of the readings of the search text may match ("52": sale 52 of each till, or 52.00).
    const any: string[] = [];
    if (search.saleId !== undefined) any.push(`${alias}local_id = ${params.add(search.saleId)}`);
    if (search.amount !== undefined) any.push(`${alias}amount = ${params.add(search.amount)}`);
    if (search.intentPrefix !== undefined) {
      any.push(
        `(${alias}till_id, ${alias}local_id) IN (SELECT i.till_id, i.sale_id FROM tenders i WHERE i.intent_id LIKE ${params.add(`${search.intentPrefix}%`)})`,
      );
    }
    where.push(any.length === 1 ? any[0]! : `(${any.join(' OR ')})`);
  }
  return where;
}
