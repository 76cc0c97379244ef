import { useCallback, useRef, useState } from 'react';
import type { ChartBucket, CounterApi, CurrencyTotals, Envelope, Sale, SalesChart, SalesFilter } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { useCounterEvents } from '../common/use-counter-events';
import { sameScope, saleTill, THIS_TILL, type LogSale, type SalesScope } from './sales-scope';

/** Keyset pages of this size: one screen's worth several times over, cheap for the ledger at a million sales. */
export const PAGE_SIZE = 100;

export interface SalesChartData {
  unit: 'hour' | 'day';
  buckets: ChartBucket[];
}

export interface SalesLogData {
  /** The filter the numbers below belong to; null until the first Apply. */
  filter: SalesFilter | null;
  /** Whose sales they are: this till's ledger, or the shop database's (every till, or one). */
  scope: SalesScope;
  sales: LogSale[];
  /** Where the next (older) page starts; null once the oldest sale is on screen. */
  cursor: string | null;
  /** The first page of the current filter has arrived. */
  loaded: boolean;
  loadingMore: boolean;
  totals: CurrencyTotals[] | null;
  chart: SalesChartData | null;
  /** A message from the main process, shown as is. */
  error: string | null;
  /** Sales were created or changed since these numbers were read. */
  stale: boolean;
}

const EMPTY: SalesLogData = { filter: null, scope: THIS_TILL, sales: [], cursor: null, loaded: false, loadingMore: false, totals: null, chart: null, error: null, stale: false };

interface LogReads {
  list(cursor: string | null): Promise<Envelope<{ sales: LogSale[]; nextCursor: string | null }>>;
  totals(): Promise<Envelope<CurrencyTotals[]>>;
  chart(): Promise<Envelope<SalesChart>>;
}

/** The same three reads, from this till's ledger or from the shop database (the core's shop* methods take the till, null for all). */
function readsFor(api: CounterApi, scope: SalesScope, filter: SalesFilter): LogReads {
  if (scope.kind === 'till') {
    return {
      list: (cursor) => api.listSales({ filter, cursor, limit: PAGE_SIZE }),
      totals: () => api.salesTotals({ filter }),
      chart: () => api.salesChart({ filter }),
    };
  }
  const { tillId } = scope;
  return {
    list: (cursor) => api.shopSales({ filter, tillId, cursor, limit: PAGE_SIZE }),
    totals: () => api.shopTotals({ filter, tillId }),
    chart: () => api.shopChart({ filter, tillId }),
  };
}

/**
 * The sales log's data for one filter and one scope: the list (newest first,
 * paged by the keyset cursor), the range totals and the chart. Every answer
 * is checked against the filter and scope it was asked for, so a slow answer
 * to an old one (a shop database far away, say) never overwrites a newer one.
 */
export function useSalesLog() {
  const api = getCounterApi();
  const [data, setData] = useState<SalesLogData>(EMPTY);
  const generation = useRef(0);
  const busyMore = useRef(false);
  const latest = useRef(data);
  latest.current = data;
  /** The scope last asked for (ahead of `data` until React renders), so a read without one keeps it. */
  const scopeAsked = useRef<SalesScope>(THIS_TILL);

  useCounterEvents((event) => {
    if (event.type !== 'sale' || !latest.current.filter) return;
    // A sale on the list shows its news at once (paid, refunded, voided); the totals wait for a refresh.
    // In the shop scope only this till's rows are this sale (the others' numbers are theirs), and the shop's numbers change once it syncs.
    const isIt = (s: LogSale) => s.id === event.sale.id && (saleTill(s)?.thisTill ?? true);
    const listed = latest.current.sales.some(isIt);
    if (!listed && latest.current.stale) return;
    setData((d) => ({
      ...d,
      sales: listed ? d.sales.map((s) => (isIt(s) ? withTillOf(s, event.sale) : s)) : d.sales,
      stale: true,
    }));
  });

  const apply = useCallback(
    async (filter: SalesFilter, scope: SalesScope = scopeAsked.current) => {
      const gen = ++generation.current;
      scopeAsked.current = scope;
      busyMore.current = false;
      // The old numbers stay until the new ones land (a few milliseconds), so the screen does not jump;
      // the rows stay only when the same filter of the same scope is read again.
      setData((d) => {
        const same = d.filter !== null && sameFilter(d.filter, filter) && sameScope(d.scope, scope);
        return { ...EMPTY, filter, scope, sales: same ? d.sales : [], totals: d.totals, chart: d.chart };
      });
      const current = () => gen === generation.current;
      // A failed read blanks its own part, so nothing on screen belongs to another filter.
      const fail = (message: string, part: Partial<SalesLogData>) => setData((d) => ({ ...d, ...part, error: d.error ?? message }));
      const reads = readsFor(api, scope, filter);

      // The three reads are independent; each lands as soon as it answers.
      const list = reads.list(null).then((answer) => {
        if (!current()) return;
        if (!answer.ok) return fail(answer.error.message, { sales: [], cursor: null });
        setData((d) => ({ ...d, sales: answer.value.sales, cursor: answer.value.nextCursor, loaded: true }));
      });
      const totals = reads.totals().then((answer) => {
        if (!current()) return;
        if (!answer.ok) return fail(answer.error.message, { totals: null });
        setData((d) => ({ ...d, totals: answer.value }));
      });
      // The chart needs both ends of the range; without them it is simply not drawn.
      if (!filter.from || !filter.to) setData((d) => ({ ...d, chart: null }));
      const chart = !filter.from || !filter.to
        ? null
        : reads.chart().then((answer) => {
            if (!current()) return;
            if (!answer.ok) return fail(answer.error.message, { chart: null });
            setData((d) => ({ ...d, chart: answer.value }));
          });
      await Promise.all([list, totals, chart]);
    },
    [api],
  );

  const loadMore = useCallback(async () => {
    const d = latest.current;
    if (!d.filter || !d.loaded || d.cursor === null || busyMore.current) return;
    busyMore.current = true;
    const gen = generation.current;
    setData((s) => ({ ...s, loadingMore: true }));
    const answer = await readsFor(api, d.scope, d.filter).list(d.cursor);
    if (gen !== generation.current) return;
    busyMore.current = false;
    if (!answer.ok) {
      setData((s) => ({ ...s, loadingMore: false, error: answer.error.message }));
      return;
    }
    setData((s) => ({ ...s, loadingMore: false, error: null, sales: s.sales.concat(answer.value.sales), cursor: answer.value.nextCursor }));
  }, [api]);

  const refresh = useCallback(() => {
    const filter = latest.current.filter;
    if (filter) void apply(filter);
  }, [apply]);

  /** Another scope, with the filter on screen (or, before any, just remembered for the first Apply). */
  const setScope = useCallback(
    (scope: SalesScope) => {
      const filter = latest.current.filter;
      if (filter) void apply(filter, scope);
      else {
        scopeAsked.current = scope;
        setData((d) => ({ ...d, scope }));
      }
    },
    [apply],
  );

  /** A message of the renderer's own (a filter it will not send), shown where the main process's errors go. */
  const setError = useCallback((message: string | null) => setData((d) => ({ ...d, error: message })), []);

  return { ...data, apply, loadMore, refresh, setScope, setError };
}

/** The sale's news, keeping which till it was read with. */
function withTillOf(old: LogSale, sale: Sale): LogSale {
  const till = saleTill(old);
  return till ? { ...sale, till } : sale;
}

function sameFilter(a: SalesFilter, b: SalesFilter): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
