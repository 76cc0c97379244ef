import './sales-totals.css';
import type { CurrencyTotals } from '../../../electron/shared/contract';
import { CurrencyTotalsCard } from './currency-totals';

interface SalesTotalsProps {
  totals: CurrencyTotals[] | null;
  /** The totals could not be read (the error is shown by the filters). */
  failed: boolean;
}

/** The range's numbers, a block per currency: money of different currencies is never added up. */
export function SalesTotals({ totals, failed }: SalesTotalsProps) {
  return (
    <section className="log-panel log-totals" data-testid="log-totals" aria-labelledby="log-totals-title">
      <h2 id="log-totals-title" className="log-panel-title">
        Totals for the range
      </h2>
      {totals === null ? (
        <p className="hint">{failed ? 'Not available.' : 'Loading…'}</p>
      ) : totals.length === 0 ? (
        <p className="hint">No sales in this range.</p>
      ) : (
        <div className="log-totals-list">
          {totals.map((t) => (
            <CurrencyTotalsCard key={t.currency} totals={t} />
          ))}
        </div>
      )}
    </section>
  );
}
