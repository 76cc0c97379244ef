import './end-of-day.css';
import { useEffect, useState } from 'react';
import type { DaySummary } from '../../../../electron/shared/contract';
import { getCounterApi } from '../../common/api';
import { PrinterAction } from '../../common/printer-action';
import type { LogMode } from '../filter-draft';
import { localDateOf } from '../../../../electron/shared/domain/local-days';
import { SALE_STATUSES } from '../../../../electron/shared/domain/sale';
import { formatCount, STATUS_LABELS } from '../../common/sale-labels';
import { clockTime, fullTime, longDate } from '../../common/shop-time';
import { CurrencyTotalsCard } from '../currency-totals';
import type { SalesScope } from '../sales-scope';

interface EndOfDayProps {
  shopName: string;
  timeZone: string;
  /** A receipt printer is set: the day's report can be printed on it. */
  printer: boolean;
  /** The log's mode when the owner opened this: live unless they chose otherwise. */
  initialMode: LogMode;
  /** Whose day: this till's (its ledger), or the shop's (every till, or one) from the shop database. */
  scope: SalesScope;
  /** The scope in words for the sheet's heading ("This till", "Whole shop", a till's label); null where there is no choice (no shop database). */
  scopeWords: string | null;
  onBack(): void;
}

const MODE_NAMES: Record<LogMode, string> = { live: 'Live sales', sandbox: 'Sandbox (test) sales', all: 'Live and sandbox sales' };

/** One day's summary for the till's closing: what was taken first, then what was rung up but not paid, and when the day began and ended. */
export function EndOfDay({ shopName, timeZone, printer, initialMode, scope, scopeWords, onBack }: EndOfDayProps) {
  const [date, setDate] = useState(() => localDateOf(Date.now(), timeZone));
  const [mode, setMode] = useState<LogMode>(initialMode);
  const [summary, setSummary] = useState<DaySummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const shopTill = scope.kind === 'shop' ? scope.tillId : undefined;
  const asked = shopTill === undefined ? 'till' : `shop:${shopTill ?? 'all'}`;
  const [shownFor, setShownFor] = useState<string | null>(null);
  useEffect(() => {
    if (!date) {
      setError('Choose a day.');
      return;
    }
    let stale = false;
    setError(null);
    const api = getCounterApi();
    // The shop's day comes from the shop database (every till, or one); this till's from its ledger.
    void (shopTill === undefined ? api.daySummary({ date, mode }) : api.shopDaySummary({ date, mode, tillId: shopTill }))
      .then((answer) => {
        if (stale) return;
        if (answer.ok) {
          setSummary(answer.value);
          setShownFor(asked);
        } else {
          setSummary(null);
          setError(answer.error.message);
        }
      });
    return () => {
      stale = true;
    };
  }, [date, mode, shopTill, asked]);

  const shown = summary && summary.date === date && summary.mode === mode && shownFor === asked ? summary : null;
  const shopScope = scope.kind === 'shop';

  return (
    <section className="end-of-day" data-testid="end-of-day">
      <div className="log-toolbar no-print">
        <button type="button" className="button button--small" data-testid="eod-back" onClick={onBack}>
          ← Back to the log
        </button>
        <label className="log-field log-field--inline">
          <span className="log-field-label">Day</span>
          <input type="date" data-testid="eod-date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="log-field log-field--inline">
          <span className="log-field-label">Mode</span>
          <select data-testid="eod-mode" value={mode} onChange={(e) => setMode(e.target.value as LogMode)}>
            <option value="live">Live</option>
            <option value="sandbox">Sandbox</option>
            <option value="all">All</option>
          </select>
        </label>
        <button type="button" className="button button--small button--primary" data-testid="print-end-of-day" disabled={!shown} onClick={() => window.print()}>
          Print page
        </button>
        {/* The receipt printer prints this till's day (printDaySummary reads its ledger): offered only for this till's. */}
        {printer && !shopScope && (
          <PrinterAction label="Print on the receipt printer" testId="eod-print-printer" disabled={!shown} run={() => getCounterApi().printDaySummary({ date, mode })} />
        )}
        {printer && shopScope && (
          <p className="hint eod-printer-note" data-testid="eod-printer-note">
            The receipt printer prints this till’s end of day only: choose This till in the log for it.
          </p>
        )}
      </div>
      {error && (
        <p className="log-error" data-testid="eod-error" role="alert">
          {error}
        </p>
      )}
      {!shown ? (
        !error && <p className="hint">Loading…</p>
      ) : (
        <article className="eod-sheet print-area" data-testid="eod-summary" aria-label={`End of day ${shown.date}`}>
          <header className="eod-head">
            <p className="eod-shop">{shopName || 'Counter'}</p>
            <p className="eod-title">End of day · {longDate(shown.date)}</p>
            {scopeWords !== null && (
              <p className="eod-scope" data-testid="eod-scope" data-scope={asked}>
                {shopScope ? `${scopeWords} · from the shop database` : scopeWords}
              </p>
            )}
            <p className="eod-meta">
              {MODE_NAMES[shown.mode]} · times in {timeZone} · printed {fullTime(Date.now(), timeZone)}
            </p>
          </header>
          {shown.totals.length === 0 ? (
            <p className="hint">No sales on this day.</p>
          ) : (
            <div className="eod-totals" data-testid="eod-totals">
              {shown.totals.map((t) => (
                <CurrencyTotalsCard key={t.currency} totals={t} />
              ))}
            </div>
          )}
          <div className="eod-figures">
            <Figure label="Sales rung up" value={formatCount(shown.count)} id="count" />
            {SALE_STATUSES.map((s) => (
              <Figure key={s} label={STATUS_LABELS[s]} value={formatCount(shown.byStatus[s])} id={`status-${s}`} />
            ))}
            <Figure label="First sale" value={shown.firstSaleAt === null ? '—' : clockTime(shown.firstSaleAt, timeZone)} id="first" />
            <Figure label="Last sale" value={shown.lastSaleAt === null ? '—' : clockTime(shown.lastSaleAt, timeZone)} id="last" />
            {/* Every opening of the cash drawer is counted: for cash taken, and No sale (which the owner checks against the count). */}
            <Figure label="Drawer opened for cash" value={formatCount(shown.drawerOpenings.cash)} id="drawer-cash" />
            <Figure label="No sale (drawer)" value={formatCount(shown.drawerOpenings.noSale)} id="drawer-no-sale" />
          </div>
        </article>
      )}
    </section>
  );
}

function Figure({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div className="eod-figure" data-figure={id}>
      <span className="eod-figure-label">{label}</span>
      <span className="eod-figure-value">{value}</span>
    </div>
  );
}
