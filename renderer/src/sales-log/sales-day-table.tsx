import './sales-day-table.css';
import { formatMoney } from '../../../electron/shared/domain/money';
import { formatCount } from '../common/sale-labels';
import { dayMonth, shortDate } from '../common/shop-time';
import type { SalesChartData } from './use-sales-log';

interface SalesDayTableProps {
  chart: SalesChartData;
}

/** The chart's day buckets as numbers, newest first: readable without the chart, and by screen readers. */
export function SalesDayTable({ chart }: SalesDayTableProps) {
  const currencies = [...new Set(chart.buckets.flatMap((b) => Object.keys(b.paid)))].sort();
  const days = [...chart.buckets].reverse();
  return (
    <section className="log-panel log-days" aria-labelledby="log-days-title">
      <h2 id="log-days-title" className="log-panel-title">
        Per day
      </h2>
      <div className="log-days-scroll" tabIndex={0} aria-label="Sales per day">
        <table className="log-table log-days-table" data-testid="log-days">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Sales</th>
              {currencies.map((c) => (
                <th key={c} scope="col">
                  Paid {c.toUpperCase()}
                </th>
              ))}
              {currencies.length === 0 && <th scope="col">Paid</th>}
            </tr>
          </thead>
          <tbody>
            {days.map((b) => (
              <tr key={b.start} data-day={b.label} className={b.count === 0 ? 'log-days-empty' : undefined}>
                <th scope="row" title={shortDate(b.label)}>
                  {dayMonth(b.label)}
                </th>
                <td>{formatCount(b.count)}</td>
                {currencies.map((c) => (
                  <td key={c}>{b.paid[c] ? formatMoney(b.paid[c], c) : '—'}</td>
                ))}
                {currencies.length === 0 && <td>—</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
