import { useEffect, useState } from 'react';
import type { DaySummary } from '../../../../electron/shared/contract';
import { getCounterApi } from '../../common/api';
import type { LogMode } from '../filter-draft';
import { formatMoney } from '../../common/format-money';
import { formatCount, STATUS_LABELS, STATUSES } from '../../common/sale-labels';
import { clockTime, fullTime, longDate, todayIn } from '../../common/shop-time';

interface EndOfDayProps {
  shopName: string;
  timeZone: string;
  /** The log's mode when the owner opened this: live unless they chose otherwise. */
  initialMode: LogMode;
  onBack(): void;
}

const MODE_NAMES: Record<LogMode, string> = { live: 'Live sales', sandbox: 'Sandbox (test) sales', all: 'Live and sandbox sales' };

/** One day's summary for the till's closing: what was rung up, what was paid, and when the day began and ended. */
export function EndOfDay({ shopName, timeZone, initialMode, onBack }: EndOfDayProps) {
  const [date, setDate] = useState(() => todayIn(timeZone));
  const [mode, setMode] = useState<LogMode>(initialMode);
  const [summary, setSummary] = useState<DaySummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!date) {
      setError('Choose a day.');
      return;
    }
    let stale = false;
    setError(null);
    void getCounterApi()
      .daySummary({ date, mode })
      .then((answer) => {
        if (stale) return;
        if (answer.ok) setSummary(answer.value);
        else {
          setSummary(null);
          setError(answer.error.message);
        }
      });
    return () => {
      stale = true;
    };
  }, [date, mode]);

  const shown = summary && summary.date === date && summary.mode === mode ? summary : null;

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
          Print
        </button>
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
            <p className="eod-meta">
              {MODE_NAMES[shown.mode]} · times in {timeZone} · printed {fullTime(Date.now(), timeZone)}
            </p>
          </header>
          <div className="eod-figures">
            <Figure label="Sales" value={formatCount(shown.count)} id="count" />
            <Figure label="First sale" value={shown.firstSaleAt === null ? '—' : clockTime(shown.firstSaleAt, timeZone)} id="first" />
            <Figure label="Last sale" value={shown.lastSaleAt === null ? '—' : clockTime(shown.lastSaleAt, timeZone)} id="last" />
            {STATUSES.map((s) => (
              <Figure key={s} label={STATUS_LABELS[s]} value={formatCount(shown.byStatus[s])} id={`status-${s}`} />
            ))}
          </div>
          {shown.totals.length === 0 ? (
            <p className="hint">No sales on this day.</p>
          ) : (
            <table className="log-table eod-table" data-testid="eod-totals">
              <thead>
                <tr>
                  <th scope="col">Currency</th>
                  <th scope="col">Sales</th>
                  <th scope="col">Rung up, not paid</th>
                  <th scope="col">Paid</th>
                  <th scope="col">Paid amount</th>
                  <th scope="col">Cancelled</th>
                  <th scope="col">Expired</th>
                  <th scope="col">Pending</th>
                  <th scope="col">Paid late</th>
                </tr>
              </thead>
              <tbody>
                {shown.totals.map((t) => (
                  <tr key={t.currency} data-currency={t.currency}>
                    <th scope="row">{t.currency.toUpperCase()}</th>
                    <td>{formatCount(t.count)}</td>
                    <td>{formatMoney(t.unpaidAmount, t.currency)}</td>
                    <td>{formatCount(t.paidCount)}</td>
                    <td>
                      <strong>{formatMoney(t.paidAmount, t.currency)}</strong>
                    </td>
                    <td>{formatCount(t.cancelledCount)}</td>
                    <td>{formatCount(t.expiredCount)}</td>
                    <td>{formatCount(t.pendingCount)}</td>
                    <td>{formatCount(t.paidLateCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
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
