import type { Mode, SalesFilter, SaleStatus } from '../../../electron/shared/contract';
import { addDays, localDateOf } from '../../../electron/shared/domain/local-days';
import { SALE_STATUSES } from '../../../electron/shared/domain/sale';

export type LogMode = NonNullable<SalesFilter['mode']>;

/** The filters bar as typed, before Apply. */
export interface FilterDraft {
  from: string;
  to: string;
  statuses: SaleStatus[];
  mode: LogMode;
  search: string;
}

/** How many days the log opens on, today included. */
export const DEFAULT_RANGE_DAYS = 7;

/**
 * The last week up to today on the shop's calendar, every status, the sales
 * of the mode the app is in: a shop trying Counter in sandbox mode sees its
 * test sales, a live shop its takings (and the owner can choose another).
 */
export function defaultDraft(timeZone: string, mode: Mode, now = Date.now()): FilterDraft {
  const today = localDateOf(now, timeZone);
  return { from: addDays(today, -(DEFAULT_RANGE_DAYS - 1)), to: today, statuses: [...SALE_STATUSES], mode, search: '' };
}

/**
 * The filter the ledger is asked for. Only what the main process cannot say
 * better is checked here: an empty status choice would read as "no filter".
 * The rest (dates in order, what the search means) is the main process's to
 * judge, and its message is shown as is.
 */
export function draftToFilter(draft: FilterDraft): { filter: SalesFilter } | { error: string } {
  if (draft.statuses.length === 0) return { error: 'Choose at least one status.' };
  const filter: SalesFilter = { mode: draft.mode };
  if (draft.from) filter.from = draft.from;
  if (draft.to) filter.to = draft.to;
  if (draft.statuses.length < SALE_STATUSES.length) filter.status = SALE_STATUSES.filter((s) => draft.statuses.includes(s));
  const search = draft.search.trim();
  if (search) filter.search = search;
  return { filter };
}
