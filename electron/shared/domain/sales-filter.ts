// The sales log's filter: one definition for the screen that builds it, the
// API that checks it and the ledger that turns it into SQL, so what the owner
// sees filtered is exactly what is totalled, charted and exported.
import { z } from 'zod';
import { isReportDate, REPORT_DATE_HINT } from './local-days';
import { MODES, SALE_STATUSES, type Mode, type SaleStatus } from './sale';

export interface SalesFilter {
  /** Local calendar dates, both inclusive, in the shop's time zone. */
  from?: string;
  to?: string;
  status?: SaleStatus[];
  /** Default 'live': sandbox sales stay out of the owner's numbers unless asked for. */
  mode?: Mode | 'all';
  /** A sale number ("#52" or "52"), an amount ("12.50") or the start of an intent id. */
  search?: string;
}

/** What a search box entry asks for; several fields mean any of them may match. */
export interface SalesSearch {
  saleId?: number;
  /** Integer hundredths. */
  amount?: number;
  intentPrefix?: string;
}

/**
 * What the sales-log search box means: "#52" is sale 52; a bare whole number
 * ("52") is sale 52 or an amount of 52.00, whichever exists; digits with one
 * or two decimals ("12.5", "12,50") are an amount; anything else base58 is
 * the start of an intent id. Numbers win over intent ids: an intent id of only
 * digits would be a 1-in-10^40 id. Null when the text is none of these.
 */
export function parseSearch(text: string): SalesSearch | null {
  const value = text.trim();
  const saleNumber = /^#\s*(\d{1,15})$/.exec(value);
  if (saleNumber) {
    const id = Number(saleNumber[1]);
    return Number.isSafeInteger(id) && id > 0 ? { saleId: id } : null;
  }
  const amount = /^(\d{1,10})(?:[.,](\d{1,2}))?$/.exec(value);
  if (amount) {
    const hundredths = Number(amount[1]) * 100 + Number((amount[2] ?? '').padEnd(2, '0'));
    const whole = amount[2] === undefined ? Number(amount[1]) : 0;
    return whole > 0 ? { saleId: whole, amount: hundredths } : { amount: hundredths };
  }
  if (/^[1-9A-HJ-NP-Za-km-z]{3,64}$/.test(value)) return { intentPrefix: value };
  return null;
}

// Bounded years: a typo like 1500 is refused at the boundary, before any
// report turns the range into days or SQL (see isReportDate).
const localDate = z.string().refine(isReportDate, REPORT_DATE_HINT);
const filterFields = {
  from: localDate.optional(),
  to: localDate.optional(),
  status: z.array(z.enum(SALE_STATUSES)).min(1).max(SALE_STATUSES.length).optional(),
  mode: z.enum([...MODES, 'all']).optional(),
};

/** The filter as it crosses the IPC boundary: shape only, the search still text. */
export const salesFilterShape = z.object({ ...filterFields, search: z.string().max(64).optional() }).strict();

export const SEARCH_HINT = 'search for a sale number (#52), an amount (12.50) or the start of an intent id';

/** The filter checked and its search parsed, as the ledger runs it. */
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
          ctx.addIssue({ code: 'custom', message: SEARCH_HINT });
          return z.NEVER;
        }
        return query;
      })
      .optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, '"from" must not be after "to"');
export type SalesFilterParsed = z.output<typeof salesFilterInput>;
