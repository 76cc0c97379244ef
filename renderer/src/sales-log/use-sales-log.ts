import { useCallback, useRef, useState } from 'react';
import type { ChartBucket, CurrencyTotals, Sale, SalesFilter } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { useCounterEvents } from '../common/use-counter-events';

/** Keyset pages of this size: one screen's worth several times over, cheap for the ledger at a million sales. */
export const PAGE_SIZE = 100;

export interface SalesChartData {
  unit: 'hour' | 'day';
  buckets: ChartBucket[];
}

export interface SalesLogData {
  /** The filter the numbers below belong to; null until the first Apply. */
  filter: SalesFilter | null;
  sales: Sale[];
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

const EMPTY: SalesLogData = { filter: null, sales: [], cursor: null, loaded: false, loadingMore: false, totals: null, chart: null, error: null, stale: false };

/**
 * The sales log's data for one filter: the list (newest first, paged by the
 * ledger's keyset cursor), the range totals and the chart. Every answer is
 * checked against the filter it was asked for, so a slow answer to an old
 * filter never overwrites a newer one.
 */
export function useSalesLog() {
  const api = getCounterApi();
  const [data, setData] = useState<SalesLogData>(EMPTY);
  const generation = useRef(0);
  const busyMore = useRef(false);
  const latest = useRef(data);
  latest.current = data;

  useCounterEvents((event) => {
    if (event.type !== 'sale' || !latest.current.filter) return;
    // A sale on the list shows its news at once (paid, refunded, voided); the totals wait for a refresh.
    const listed = latest.current.sales.some((s) => s.id === event.sale.id);
    if (!listed && latest.current.stale) return;
    setData((d) => ({ ...d, sales: listed ? d.sales.map((s) => (s.id === event.sale.id ? event.sale : s)) : d.sales, stale: true }));
  });

  const apply = useCallback(
    async (filter: SalesFilter) => {
      const gen = ++generation.current;
      busyMore.current = false;
      // The old numbers stay until the new ones land (a few milliseconds), so the screen does not jump;
      // the rows stay only when the same filter is read again.
      setData((d) => ({ ...EMPTY, filter, sales: d.filter && sameFilter(d.filter, filter) ? d.sales : [], totals: d.totals, chart: d.chart }));
      const current = () => gen === generation.current;
      // A failed read blanks its own part, so nothing on screen belongs to another filter.
      const fail = (message: string, part: Partial<SalesLogData>) => setData((d) => ({ ...d, ...part, error: d.error ?? message }));

      // The three reads are independent; each lands as soon as it answers.
      const list = api.listSales({ filter, cursor: null, limit: PAGE_SIZE }).then((answer) => {
        if (!current()) return;
        if (!answer.ok) return fail(answer.error.message, { sales: [], cursor: null });
        setData((d) => ({ ...d, sales: answer.value.sales, cursor: answer.value.nextCursor, loaded: true }));
      });
      const totals = api.salesTotals({ filter }).then((answer) => {
        if (!current()) return;
        if (!answer.ok) return fail(answer.error.message, { totals: null });
        setData((d) => ({ ...d, totals: answer.value }));
      });
      // The chart needs both ends of the range; without them it is simply not drawn.
      if (!filter.from || !filter.to) setData((d) => ({ ...d, chart: null }));
      const chart = !filter.from || !filter.to
        ? null
        : api.salesChart({ filter }).then((answer) => {
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
    const answer = await api.listSales({ filter: d.filter, cursor: d.cursor, limit: PAGE_SIZE });
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

  /** A message of the renderer's own (a filter it will not send), shown where the main process's errors go. */
  const setError = useCallback((message: string | null) => setData((d) => ({ ...d, error: message })), []);

  return { ...data, apply, loadMore, refresh, setError };
}

function sameFilter(a: SalesFilter, b: SalesFilter): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
