import { z } from 'zod';
import { isLocalDate, nextLocalDate, startOfLocalDay } from './local-days';
import { MODES, SALE_STATUSES } from './types';

/**
 * What the sales-log search box means: digits with at most two decimals are
 * an amount ("12.5", "12,50", "7"), anything else base58 is the start of an
 * intent id. Amounts win: an intent id of only digits would be a 1-in-10^40 id.
 */
export function parseSearch(text: string): { amount?: number; intentPrefix?: string } | null {
  const value = text.trim();
  const amount = /^(\d{1,10})(?:[.,](\d{1,2}))?$/.exec(value);
  if (amount) return { amount: Number(amount[1]) * 100 + Number((amount[2] ?? '').padEnd(2, '0')) };
  if (/^[1-9A-HJ-NP-Za-km-z]{3,64}$/.test(value)) return { intentPrefix: value };
  return null;
}

const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD');
const filterFields = {
  from: localDate.optional(),
  to: localDate.optional(),
  status: z.array(z.enum(SALE_STATUSES)).min(1).max(SALE_STATUSES.length).optional(),
  mode: z.enum([...MODES, 'all']).optional(),
};

/** The filter as it crosses the IPC boundary: shape only, the search still text. */
export const salesFilterShape = z
  .object({ ...filterFields, search: z.string().max(64).optional() })
  .strict();

export const salesFilterInput = z
  .object({
    ...filterFields,
    search: z
      .string()
      .trim()
      .max(64)
      .transform((value, ctx) => {
        const query = parseSearch(value);
        if (!query) {
          ctx.addIssue({ code: 'custom', message: 'search for an amount (like 12.50) or the start of an intent id' });
          return z.NEVER;
        }
        return query;
      })
      .optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, '"from" must not be after "to"');
export type SalesFilterParsed = z.output<typeof salesFilterInput>;

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
  if (f.search?.amount !== undefined) {
    where.push(`${col('amount')} = @searchAmount`);
    params.searchAmount = f.search.amount;
  }
  if (f.search?.intentPrefix !== undefined) {
    // A range, not LIKE: it uses the intent index and base58 is case-sensitive.
    where.push(`${col('intent_id')} >= @intentFrom AND ${col('intent_id')} < @intentTo`);
    params.intentFrom = f.search.intentPrefix;
    params.intentTo = `${f.search.intentPrefix}\u{10FFFF}`;
  }
  return { where, params };
}
