import './sales-log-screen.css';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AppStatus, SalesFilter, SessionView } from '../../../electron/shared/contract';
import type { ShopSaleTill } from '../../../electron/shared/domain/shop-view';
import { canUse } from '../common/access';
import { EndOfDay } from './end-of-day/end-of-day';
import { ExportCsvButton, ExportStatus } from './export-csv';
import { defaultDraft, draftToFilter, type FilterDraft, type LogMode } from './filter-draft';
import { ReceiptView } from './receipt/receipt-view';
import { SaleDetail } from './sale/sale-detail';
import { SalesChart } from './sales-chart';
import { SalesDayTable } from './sales-day-table';
import { SalesFilters } from './sales-filters';
import { SalesList } from './sales-list';
import { SalesTotals } from './sales-totals';
import { ScopeChoice } from './scope-choice';
import { otherTill, scopeWords, THIS_TILL, type SalesScope } from './sales-scope';
import { useCsvExport } from './use-csv-export';
import { useSalesLog } from './use-sales-log';
import { useShopTills } from './use-shop-tills';

/** A detail's `till`: another till's sale, read only from the shop database; null for this till's. */
type View = { kind: 'list' } | { kind: 'detail'; saleId: number; till: ShopSaleTill | null } | { kind: 'receipt'; saleId: number } | { kind: 'end-of-day' };

interface SalesLogScreenProps {
  active: boolean;
  status: AppStatus | null;
  session: SessionView | null;
}

/**
 * The owner's sales log: filters, totals, chart and the list, and from there
 * a sale's detail, its receipt, and the end-of-day summary. The list stays
 * mounted behind the other views, so Back returns to the same place in it.
 */
export function SalesLogScreen({ active, status, session }: SalesLogScreenProps) {
  const timeZone = status?.timeZone ?? null;
  const log = useSalesLog();
  const exporter = useCsvExport();
  const [draft, setDraft] = useState<FilterDraft | null>(null);
  const [view, setView] = useState<View>({ kind: 'list' });
  const root = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const listPlace = useRef<{ scrollTop: number; rowKey: string | null }>({ scrollTop: 0, rowKey: null });
  const viewChanged = useRef(false);

  const { apply, setError, setScope } = log;

  // The owner's shop view (issue 16): with a shop database set, the log can show every till's sales, or one till's.
  const mayShop = canUse(session, 'shopSales') && status !== null && status.sync.state !== 'off';
  const shopTills = useShopTills(mayShop && draft !== null);
  const shopScope = log.scope.kind === 'shop';
  // Signed out to a manager, or the shop database unset: back to this till's own sales.
  useEffect(() => {
    if (!mayShop && shopScope) setScope(THIS_TILL);
  }, [mayShop, shopScope, setScope]);
  const chooseScope = (scope: SalesScope) => {
    setScope(scope);
    if (scope.kind === 'shop') shopTills.reload();
  };
  const refreshLog = () => {
    log.refresh();
    if (shopScope) shopTills.reload();
  };
  const applyDraft = useCallback(
    (d: FilterDraft) => {
      const checked = draftToFilter(d);
      if ('error' in checked) setError(checked.error);
      else void apply(checked.filter);
    },
    [apply, setError],
  );

  // Read on first showing (once the status says the shop's time zone and mode), not at app start.
  const appMode = status?.mode ?? null;
  useEffect(() => {
    if (!active || !timeZone || !appMode || draft) return;
    const initial = defaultDraft(timeZone, appMode);
    setDraft(initial);
    applyDraft(initial);
  }, [active, timeZone, appMode, draft, applyDraft]);

  // The log follows the app's mode (sandbox while trying Counter, live once it
  // takes money) until the owner picks a mode in the filters.
  const modePicked = useRef(false);
  const { filter: shownFilter } = log;
  useEffect(() => {
    if (!appMode || modePicked.current || !shownFilter || shownFilter.mode === appMode) return;
    setDraft((d) => (d ? { ...d, mode: appMode } : d));
    void apply({ ...shownFilter, mode: appMode });
  }, [appMode, shownFilter, apply]);

  // Back on the screen after sales changed elsewhere (the till): read again.
  const refreshIfStale = useRef(() => {});
  refreshIfStale.current = () => log.stale && view.kind === 'list' && log.refresh();
  useEffect(() => {
    if (active) refreshIfStale.current();
  }, [active]);

  const scroller = () => root.current?.closest<HTMLElement>('.app-main') ?? null;

  const go = (next: View, rowKey: string | null = null) => {
    if (view.kind === 'list') {
      listPlace.current = { scrollTop: scroller()?.scrollTop ?? 0, rowKey };
    }
    viewChanged.current = true;
    setView(next);
  };

  // A new view: keyboard users land on its heading; back on the list, on the row they opened, where they left it.
  useLayoutEffect(() => {
    if (!viewChanged.current) return;
    viewChanged.current = false;
    const main = scroller();
    if (view.kind !== 'list') {
      if (main) main.scrollTop = 0;
      heading.current?.focus({ preventScroll: true });
      return;
    }
    if (main) main.scrollTop = listPlace.current.scrollTop;
    const key = listPlace.current.rowKey;
    const row = key === null ? null : root.current?.querySelector<HTMLElement>(`[data-testid="log-row"][data-row-key="${CSS.escape(key)}"]`);
    (row ?? heading.current)?.focus({ preventScroll: true });
  }, [view]);

  // The heading stays the same element whatever loads, so focus put on it stays there.
  const ready = status !== null && timeZone !== null && draft !== null;
  // A receipt printer is set: the sale, its receipt and the end of day offer to print on it.
  const printerSet = status !== null && status.printer.state !== 'off';
  const checked = draft ? draftToFilter(draft) : null;
  const changed = checked !== null && 'filter' in checked && log.filter !== null && JSON.stringify(checked.filter) !== JSON.stringify(log.filter);
  const matching = log.totals ? log.totals.reduce((n, t) => n + t.count, 0) : null;
  const scopeTitle = mayShop ? scopeWords(log.scope, shopTills.tills) : null;
  const title =
    view.kind === 'detail'
      ? view.till
        ? `Sale #${view.saleId} · ${view.till.label}`
        : `Sale #${view.saleId}`
      : view.kind === 'receipt'
        ? `Receipt · sale #${view.saleId}`
        : view.kind === 'end-of-day'
          ? shopScope && scopeTitle
            ? `End of day · ${scopeTitle}`
            : 'End of day'
          : 'Sales log';

  const showMode = (mode: LogMode) => {
    if (!draft) return;
    modePicked.current = true;
    const next = { ...draft, mode };
    setDraft(next);
    applyDraft(next);
  };

  return (
    <section ref={root} className="sales-log" aria-labelledby="sales-log-title" data-view={view.kind}>
      <div className="log-top">
        <h1 id="sales-log-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {view.kind === 'list' && ready && (
          <div className="log-top-actions">
            <button type="button" className="button button--small" data-testid="open-end-of-day" onClick={() => go({ kind: 'end-of-day' })}>
              End of day
            </button>
            {/* The CSV is written from this till's ledger (exportCsv has no till): offered for this till's sales only. */}
            <ExportCsvButton
              state={exporter}
              disabled={log.filter === null || (log.error !== null && !log.loaded) || shopScope}
              disabledReason={shopScope ? 'Exports this till’s sales only: choose This till.' : null}
              onExport={() => log.filter && void exporter.start(log.filter)}
            />
          </div>
        )}
      </div>

      {!ready ? (
        <p className="hint">{status ? 'Loading…' : 'Connecting to Counter…'}</p>
      ) : (
        <>
          <div className="log-view" hidden={view.kind !== 'list'}>
            {mayShop && <ScopeChoice scope={log.scope} tills={shopTills.tills} tillsError={shopTills.error} onChange={chooseScope} />}
            <SalesFilters
              draft={draft}
              changed={changed}
              busy={log.filter !== null && !log.loaded && !log.error}
              error={log.error}
              onChange={(patch) => {
                if (patch.mode !== undefined) modePicked.current = true;
                setDraft((d) => (d ? { ...d, ...patch } : d));
              }}
              onApply={() => applyDraft(draft)}
            />
            <ExportStatus state={exporter} />
            {log.stale && (
              <p className="note log-stale" data-testid="log-stale">
                Sales have changed since this list was read.{' '}
                <button type="button" className="button--tiny" data-testid="log-refresh" onClick={refreshLog}>
                  Refresh
                </button>
              </p>
            )}
            <div className={`log-summary${log.chart?.unit === 'day' ? ' log-summary--days' : ''}`}>
              <SalesTotals totals={log.totals} failed={log.error !== null} />
              <SalesChart chart={log.chart} failed={log.error !== null && Boolean(log.filter?.from && log.filter.to)} />
              {log.chart?.unit === 'day' && <SalesDayTable chart={log.chart} />}
            </div>
            <SalesList
              sales={log.sales}
              shop={shopScope}
              timeZone={timeZone}
              loaded={log.loaded}
              loadingMore={log.loadingMore}
              failed={log.error !== null}
              failedHint={shopScope ? 'No sales to show: see the message above, then press Apply to try again (This till reads this till’s own records).' : undefined}
              hasMore={log.cursor !== null}
              matching={matching}
              emptyHint={<EmptyHint filter={log.filter} appMode={status.mode} onShowMode={showMode} />}
              onLoadMore={() => void log.loadMore()}
              onOpen={(sale, rowKey) => go({ kind: 'detail', saleId: sale.id, till: otherTill(sale) }, rowKey)}
            />
          </div>

          {view.kind === 'detail' && (
            <SaleDetail
              saleId={view.saleId}
              till={view.till}
              timeZone={timeZone}
              printer={printerSet}
              may={{ refund: canUse(session, 'refundSale'), void: canUse(session, 'voidSale'), printRefund: canUse(session, 'printRefund') }}
              onBack={() => go({ kind: 'list' })} onReceipt={() => go({ kind: 'receipt', saleId: view.saleId })} />
          )}
          {view.kind === 'receipt' && (
            <ReceiptView saleId={view.saleId} shopName={status.shopName} timeZone={timeZone} details={status.receiptDetails} printer={printerSet} onBack={() => go({ kind: 'detail', saleId: view.saleId, till: null })} />
          )}
          {view.kind === 'end-of-day' && (
            <EndOfDay
              shopName={status.shopName}
              timeZone={timeZone}
              printer={printerSet}
              initialMode={log.filter?.mode ?? status.mode}
              scope={log.scope}
              scopeWords={scopeTitle}
              onBack={() => go({ kind: 'list' })}
            />
          )}
        </>
      )}
    </section>
  );
}

const MODE_WORDS: Record<LogMode, string> = { live: 'live', sandbox: 'sandbox (test)', all: '' };

/** Why nothing shows, and the other mode's sales one click away: test sales never mix into the live log unasked. */
function EmptyHint({ filter, appMode, onShowMode }: { filter: SalesFilter | null; appMode: AppStatus['mode']; onShowMode(mode: LogMode): void }) {
  const mode = filter?.mode ?? appMode;
  if (mode === 'all') return <p className="hint">No sales match these filters.</p>;
  const other = mode === 'live' ? 'sandbox' : 'live';
  return (
    <p className="hint">
      No {MODE_WORDS[mode]} sales match these filters.{' '}
      {mode === 'live' ? 'Sandbox (test) sales are kept out of the live log' : 'Live sales are kept out of the sandbox log'}
      {appMode !== mode ? `, and Counter is in ${appMode} mode` : ''}.{' '}
      <button type="button" className="button--tiny" data-testid={`log-show-${other}`} onClick={() => onShowMode(other)}>
        Show {other} sales
      </button>
    </p>
  );
}
