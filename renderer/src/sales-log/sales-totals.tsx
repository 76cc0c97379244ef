import type { CurrencyTotals } from '../../../electron/shared/contract';
import { formatMoney } from '../common/format-money';
import { formatCount } from '../common/sale-labels';

interface SalesTotalsProps {
  totals: CurrencyTotals[] | null;
  /** The totals could not be read (the error is shown by the filters). */
  failed: boolean;
}

interface Measure {
  id: string;
  name: string;
  value(t: CurrencyTotals): string;
  tone?(t: CurrencyTotals): 'strong' | 'warn' | undefined;
}

const MEASURES: Measure[] = [
  { id: 'paid', name: 'Taken', value: (t) => formatMoney(t.paidAmount, t.currency), tone: () => 'strong' },
  { id: 'paid-count', name: 'Paid sales', value: (t) => formatCount(t.paidCount) },
  { id: 'unpaid', name: 'Rung up, not paid', value: (t) => `${formatMoney(t.unpaidAmount, t.currency)} (${formatCount(t.unpaidCount)})` },
  { id: 'count', name: 'Sales rung up', value: (t) => formatCount(t.count) },
  { id: 'paid-late', name: 'Paid late', value: (t) => formatCount(t.paidLateCount), tone: (t) => (t.paidLateCount > 0 ? 'warn' : undefined) },
  { id: 'cancelled', name: 'Cancelled', value: (t) => formatCount(t.cancelledCount) },
  { id: 'expired', name: 'Expired', value: (t) => formatCount(t.expiredCount) },
  { id: 'pending', name: 'Pending', value: (t) => formatCount(t.pendingCount) },
];

/** The range's numbers, a column per currency: money of different currencies is never added up. */
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
        <div className="log-table-scroll">
          <table className="log-table totals-table">
            <thead>
              <tr>
                <td />
                {totals.map((t) => (
                  <th key={t.currency} scope="col" data-currency={t.currency}>
                    {t.currency.toUpperCase()}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {MEASURES.map((m) => (
                <tr key={m.id} data-total={m.id}>
                  <th scope="row">{m.name}</th>
                  {totals.map((t) => {
                    const tone = m.tone?.(t);
                    return (
                      <td key={t.currency} data-currency={t.currency} className={tone ? `total--${tone}` : undefined}>
                        {m.value(t)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
