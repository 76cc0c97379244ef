import type { SalesFilter } from '../../../electron/shared/contract';
import { STATUSES, type SaleStatus } from '../common/sale-labels';
import { addDays, todayIn } from '../common/shop-time';

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

/** The last week up to today on the shop's calendar, every status, live sales only (SPEC §4.5). */
export function defaultDraft(timeZone: string): FilterDraft {
  const today = todayIn(timeZone);
  return { from: addDays(today, -(DEFAULT_RANGE_DAYS - 1)), to: today, statuses: [...STATUSES], mode: 'live', search: '' };
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
  if (draft.statuses.length < STATUSES.length) filter.status = STATUSES.filter((s) => draft.statuses.includes(s));
  const search = draft.search.trim();
  if (search) filter.search = search;
  return { filter };
}
