import { useState, type ReactNode } from 'react';
import { getCounterApi } from '../../common/api';
import { formatMoney } from '../../common/format-money';
import { formatKin, formatRate, STATUS_LABELS } from '../../common/sale-labels';
import { clockTime, localDate, longDate } from '../../common/shop-time';
import { useSale } from '../../use-sale';

interface ReceiptViewProps {
  saleId: number;
  shopName: string;
  timeZone: string;
  onBack(): void;
}

type Message = { tone: 'ok' | 'error'; text: string } | null;

/**
 * The customer's receipt. Print CSS leaves only the receipt on a narrow
 * page, so the browser's print (and the app's PDF, which prints the window)
 * show nothing of the till around it.
 */
export function ReceiptView({ saleId, shopName, timeZone, onBack }: ReceiptViewProps) {
  const { sale, error } = useSale(saleId);
  const [message, setMessage] = useState<Message>(null);
  const [saving, setSaving] = useState(false);

  const savePdf = async () => {
    setSaving(true);
    setMessage(null);
    const answer = await getCounterApi().saveReceiptPdf({ saleId });
    setSaving(false);
    if (!answer.ok) setMessage({ tone: 'error', text: answer.error.message });
    else if (answer.value.saved) setMessage({ tone: 'ok', text: `Saved to ${answer.value.path}` });
  };

  // The moment the customer paid; the moment it was rung up for a sale never paid.
  const at = sale ? (sale.paidAt ?? sale.createdAt) : null;

  return (
    <section className="receipt-screen">
      <div className="log-toolbar no-print">
        <button type="button" className="button button--small" data-testid="receipt-back" onClick={onBack}>
          ← Back to the sale
        </button>
        <button type="button" className="button button--small button--primary" data-testid="print-receipt" disabled={!sale} onClick={() => window.print()}>
          Print
        </button>
        <button type="button" className="button button--small" data-testid="save-receipt-pdf" disabled={!sale || saving} aria-busy={saving} onClick={() => void savePdf()}>
          {saving ? 'Saving…' : 'Save as PDF'}
        </button>
        <p className={`log-message log-message--${message?.tone ?? 'ok'}`} data-testid="receipt-message" role={message?.tone === 'error' ? 'alert' : 'status'}>
          {message?.text}
        </p>
      </div>
      {error && (
        <p className="till-error no-print" role="alert">
          {error}
        </p>
      )}
      {sale && at !== null && (
        <article className="receipt print-area print-area--narrow" data-testid="receipt" data-sale-id={sale.id} aria-label={`Receipt for sale ${sale.id}`}>
          <header className="receipt-head">
            <p className="receipt-shop" data-testid="receipt-shop">
              {shopName || 'Counter'}
            </p>
            <p className="receipt-kind">Receipt · Code wallet payment</p>
          </header>
          {sale.mode === 'sandbox' && <p className="receipt-flag">SANDBOX TEST · no real money</p>}
          {sale.status !== 'paid' && (
            <p className="receipt-flag receipt-flag--unpaid" data-testid="receipt-unpaid">
              NOT PAID · {STATUS_LABELS[sale.status]}
            </p>
          )}
          <p className="receipt-amount" data-testid="receipt-amount">
            {formatMoney(sale.amount, sale.currency)}
          </p>
          <dl className="receipt-lines">
            <Line name="Date">{longDate(localDate(at, timeZone))}</Line>
            <Line name="Time">{clockTime(at, timeZone)}</Line>
            <Line name="Amount">
              {formatMoney(sale.amount, sale.currency)} {sale.currency.toUpperCase()}
            </Line>
            {sale.quarks !== null && <Line name="Paid in Kin">{formatKin(sale.quarks)}</Line>}
            {sale.exchangeRate !== null && <Line name="Exchange rate">{formatRate(sale.exchangeRate, sale.currency)}</Line>}
            <Line name="Sale number">#{sale.id}</Line>
            <Line name="Intent id" mono>
              {sale.intentId ?? '—'}
            </Line>
          </dl>
          <p className="receipt-thanks">Thank you!</p>
        </article>
      )}
    </section>
  );
}

function Line({ name, mono, children }: { name: string; mono?: boolean; children: ReactNode }) {
  return (
    <div className={`receipt-line${mono ? ' receipt-line--block' : ''}`}>
      <dt>{name}</dt>
      <dd className={mono ? 'mono receipt-id' : undefined}>{children}</dd>
    </div>
  );
}
