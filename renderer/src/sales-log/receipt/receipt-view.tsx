import './receipt-view.css';
import { useState, type ReactNode } from 'react';
import { getCounterApi } from '../../common/api';
import { formatMoney } from '../../../../electron/shared/domain/money';
import { formatKin, formatRate, STATUS_LABELS } from '../../common/sale-labels';
import { localDateOf } from '../../../../electron/shared/domain/local-days';
import { clockTime, longDate } from '../../common/shop-time';
import { useSale } from '../sale/use-sale';

interface ReceiptViewProps {
  saleId: number;
  shopName: string;
  timeZone: string;
  /** The owner's choice (Settings): add the Kin amount, exchange rate and intent id in a block of their own. */
  details: boolean;
  onBack(): void;
}

type Message = { tone: 'ok' | 'error'; text: string } | null;

/**
 * The customer's receipt, in the customer's words: the shop, when, how much,
 * paid with Code, the sale number (SANDBOX when it was a test). The payment's
 * technical facts are an optional block the owner turns on in Settings. Print CSS leaves only the receipt on a narrow
 * page, so the browser's print (and the app's PDF, which prints the window)
 * show nothing of the till around it.
 */
export function ReceiptView({ saleId, shopName, timeZone, details, onBack }: ReceiptViewProps) {
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
        <p className="error-note no-print" role="alert">
          {error}
        </p>
      )}
      {sale && at !== null && (
        <article className="receipt print-area print-area--narrow" data-testid="receipt" data-sale-id={sale.id} aria-label={`Receipt for sale ${sale.id}`}>
          <header className="receipt-head">
            <p className="receipt-shop" data-testid="receipt-shop">
              {shopName || 'Counter'}
            </p>
            <p className="receipt-kind">Receipt</p>
          </header>
          {sale.mode === 'sandbox' && (
            <p className="receipt-flag receipt-flag--sandbox" data-testid="receipt-sandbox">
              <strong className="receipt-flag-word">SANDBOX</strong>
              <span>test sale, no real money</span>
            </p>
          )}
          {sale.status !== 'paid' && (
            <p className="receipt-flag receipt-flag--unpaid" data-testid="receipt-unpaid">
              NOT PAID · {STATUS_LABELS[sale.status]}
            </p>
          )}
          <p className="receipt-amount" data-testid="receipt-amount">
            {formatMoney(sale.amount, sale.currency)}
          </p>
          {sale.status === 'paid' && <p className="receipt-paid-with">Paid with Code</p>}
          <dl className="receipt-lines">
            <Line name="Date">{longDate(localDateOf(at, timeZone))}</Line>
            <Line name="Time">{clockTime(at, timeZone)}</Line>
            <Line name="Total">
              {formatMoney(sale.amount, sale.currency)} {sale.currency.toUpperCase()}
            </Line>
            <Line name="Sale number">#{sale.id}</Line>
          </dl>
          {details && (
            <section className="receipt-details" data-testid="receipt-details" aria-label="Payment details">
              <p className="receipt-details-title">Payment details</p>
              <dl className="receipt-lines receipt-lines--details">
                <Line name="Paid in Kin">{sale.quarks === null ? '—' : formatKin(sale.quarks)}</Line>
                <Line name="Exchange rate">{sale.exchangeRate === null ? '—' : formatRate(sale.exchangeRate, sale.currency)}</Line>
                <Line name="Intent id" mono>
                  {sale.intentId ?? '—'}
                </Line>
              </dl>
            </section>
          )}
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
