import './sales-list.css';
import { useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { formatCount } from '../common/sale-labels';
import { SalesRow } from './sales-row';
import { rowKey, type LogSale } from './sales-scope';
import { useLoadOnView } from '../common/use-load-on-view';

interface SalesListProps {
  sales: LogSale[];
  /** Read from the shop database: each row says its till. */
  shop: boolean;
  timeZone: string;
  loaded: boolean;
  loadingMore: boolean;
  /** The list could not be read (the error is shown by the filters). */
  failed: boolean;
  /** What to say when it could not be read, if not "fix the filter". */
  failedHint?: string | undefined;
  /** More (older) sales exist. */
  hasMore: boolean;
  /** How many sales the filter matches, from the totals; null while unknown. */
  matching: number | null;
  /** Shown when nothing matches: why, and what to try. */
  emptyHint: ReactNode;
  onLoadMore(): void;
  /** A row was chosen: its sale (which says its till, in the shop scope), and the row's key (data-row-key). */
  onOpen(sale: LogSale, key: string): void;
}

/** The sales, newest first; older pages load as the end of the list comes into view, or with the button. */
export function SalesList({ sales, shop, timeZone, loaded, loadingMore, failed, failedHint, hasMore, matching, emptyHint, onLoadMore, onOpen }: SalesListProps) {
  const more = useRef<HTMLButtonElement>(null);
  useLoadOnView(more, loaded && hasMore && !loadingMore, sales.length, onLoadMore);
  const [current, setCurrent] = useState<string | null>(null);
  const tabbableKey = current !== null && sales.some((s) => rowKey(s) === current) ? current : sales[0] ? rowKey(sales[0]) : null;

  const rowOf = (target: EventTarget) => (target as HTMLElement).closest<HTMLElement>('[data-row-key]');
  const open = (row: HTMLElement) => {
    const sale = sales.find((s) => rowKey(s) === row.dataset.rowKey);
    if (sale) onOpen(sale, rowKey(sale));
  };
  const click = (event: MouseEvent) => {
    const row = rowOf(event.target);
    if (row) open(row);
  };
  const focus = (event: FocusEvent) => {
    const row = rowOf(event.target);
    if (row) setCurrent(row.dataset.rowKey ?? null);
  };
  const keyDown = (event: KeyboardEvent) => {
    const row = rowOf(event.target);
    if (!row) return;
    const move = (to: Element | null | undefined) => {
      if (to instanceof HTMLElement) {
        event.preventDefault();
        to.focus();
      }
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(row);
    } else if (event.key === 'ArrowDown') move(row.nextElementSibling);
    else if (event.key === 'ArrowUp') move(row.previousElementSibling);
    else if (event.key === 'Home') move(row.parentElement?.firstElementChild);
    else if (event.key === 'End') move(row.parentElement?.lastElementChild);
  };

  return (
    <section className="log-list" aria-labelledby="log-list-title">
      <div className="log-list-heading">
        <h2 id="log-list-title" className="log-panel-title">
          Sales, newest first
        </h2>
        <p className="hint" data-testid="log-shown">
          {matching === null ? `${formatCount(sales.length)} shown` : `${formatCount(sales.length)} of ${formatCount(matching)} shown`}
          {sales.length > 0 && ' · Enter or click opens a sale, arrow keys move'}
        </p>
      </div>
      <div role="table" className={`log-rows${shop ? ' log-rows--shop' : ''}`} aria-labelledby="log-list-title" aria-rowcount={matching ?? undefined}>
        <div role="rowgroup" className="log-rows-head">
          <div role="row" className="log-row log-row--head">
            <span role="columnheader">{shop ? 'Sale · till' : 'Sale'}</span>
            <span role="columnheader">Time</span>
            <span role="columnheader" className="log-cell--amount">
              Total
            </span>
            <span role="columnheader" className="log-cell--status">
              Status
            </span>
            <span role="columnheader" className="log-cell--mode">
              Mode
            </span>
            <span role="columnheader" className="log-cell--proof">
              First proof
            </span>
            <span role="columnheader" className="log-cell--tenders">
              Tenders
            </span>
          </div>
        </div>
        <div role="rowgroup" onClick={click} onKeyDown={keyDown} onFocus={focus}>
          {sales.map((sale) => (
            <SalesRow key={rowKey(sale)} sale={sale} timeZone={timeZone} tabbable={rowKey(sale) === tabbableKey} />
          ))}
        </div>
      </div>
      {!loaded && sales.length === 0 ? (
        <p className="log-list-end hint">{failed ? (failedHint ?? 'No sales to show: fix the filter and press Apply.') : 'Loading sales…'}</p>
      ) : loaded && sales.length === 0 ? (
        <div className="log-list-end" data-testid="log-empty">
          {emptyHint}
        </div>
      ) : hasMore ? (
        <div className="log-list-end">
          <button ref={more} type="button" className="button button--small" data-testid="log-load-more" disabled={loadingMore} aria-busy={loadingMore} onClick={onLoadMore}>
            {loadingMore ? 'Loading older sales…' : 'Load older sales'}
          </button>
        </div>
      ) : loaded ? (
        <p className="log-list-end hint" data-testid="log-end">
          That is every sale in this range.
        </p>
      ) : null}
    </section>
  );
}
