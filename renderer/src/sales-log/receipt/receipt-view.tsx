import './receipt-view.css';
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { getCounterApi } from '../../common/api';
import { PrinterAction } from '../../common/printer-action';
import type { Sale } from '../../../../electron/shared/contract';
import { formatMoney } from '../../../../electron/shared/domain/money';
import { outstanding, totalDue } from '../../../../electron/shared/domain/sale';
import { formatKin, formatRate, STATUS_LABELS } from '../../common/sale-labels';
import { codeNumbers, paidWithText, tenderTitle } from '../../common/tender-text';
import { localDateOf } from '../../../../electron/shared/domain/local-days';
import { clockTime, longDate } from '../../common/shop-time';
import { hasTip, tipLineName } from '../../common/tip-text';
import { useSale } from '../sale/use-sale';

interface ReceiptViewProps {
  saleId: number;
  shopName: string;
  timeZone: string;
  /** The owner's choice (Settings): add the Kin amount, exchange rate and intent id in a block of their own. */
  details: boolean;
  /** A receipt printer is set: the receipt can be printed on it from here. */
  printer: boolean;
  onBack(): void;
}

type Message = { tone: 'ok' | 'error'; text: string } | null;

/** The owner's header and footer lines (Settings → Receipt printer): the printed receipt's, so the two say the same. */
function useReceiptLines(): { header: string[]; footer: string[] } {
  // Until the settings answer, the footer every install starts with.
  const [lines, setLines] = useState<{ header: string[]; footer: string[] }>({ header: [], footer: ['Thank you!'] });
  useEffect(() => {
    let live = true;
    void getCounterApi()
      .getSettings(undefined)
      .then((answer) => {
        if (live && answer.ok) setLines({ header: answer.value.printer.header, footer: answer.value.printer.footer });
      });
    return () => {
      live = false;
    };
  }, []);
  return lines;
}

/**
 * The customer's receipt, in the customer's words: the shop, when, how much,
 * what it was paid with (each Code payment, cash with the change, other
 * tenders by their label), the sale number (SANDBOX when it was a test). The
 * Code payments' technical facts are an optional block the owner turns on in Settings. Print CSS leaves only the receipt on a narrow
 * page, so the browser's print (and the app's PDF, which prints the window)
 * show nothing of the till around it.
 */
export function ReceiptView({ saleId, shopName, timeZone, details, printer, onBack }: ReceiptViewProps) {
  const { sale, error } = useSale(saleId);
  const [message, setMessage] = useState<Message>(null);
  const [saving, setSaving] = useState(false);
  const lines = useReceiptLines();

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
          Print page
        </button>
        {printer && <PrinterAction label="Print on the receipt printer" testId="receipt-print-printer" disabled={!sale} run={() => getCounterApi().printReceipt({ saleId })} />}
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
            {lines.header.map((line, i) => (
              <p key={`h${i}`} className="receipt-header-line" data-testid="receipt-header-line">
                {line}
              </p>
            ))}
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
            {formatMoney(totalDue(sale), sale.currency)}
          </p>
          {sale.status === 'paid' && <p className="receipt-paid-with">{paidWithText(sale) ?? 'Paid'}</p>}
          <dl className="receipt-lines">
            <Line name="Date">{longDate(localDateOf(at, timeZone))}</Line>
            <Line name="Time">{clockTime(at, timeZone)}</Line>
            {/* The tip on a line of its own, under the sale it was added to. */}
            {hasTip(sale) && (
              <>
                <Line name="Subtotal" testId="receipt-subtotal">
                  {formatMoney(sale.amount, sale.currency)}
                </Line>
                <Line name={tipLineName(sale)} testId="receipt-tip">
                  {formatMoney(sale.tipAmount, sale.currency)}
                </Line>
              </>
            )}
            <Line name="Total" testId="receipt-total">
              {formatMoney(totalDue(sale), sale.currency)} {sale.currency.toUpperCase()}
            </Line>
            <Line name="Sale number">#{sale.id}</Line>
          </dl>
          <ReceiptTenders sale={sale} />
          {details && <ReceiptDetails sale={sale} />}
          {lines.footer.map((line, i) => (
            <p key={`f${i}`} className="receipt-thanks" data-testid="receipt-footer-line">
              {line}
            </p>
          ))}
        </article>
      )}
    </section>
  );
}

/** Each paid tender: "Code payment 1 of 3 1.00", "Cash 20.00" with "Change 7.50", "Card (other) 5.00"; what is still owed on a partly paid sale. */
function ReceiptTenders({ sale }: { sale: Sale }) {
  const paid = [...sale.tenders].filter((t) => t.status === 'paid').sort((a, b) => a.seq - b.seq);
  // One Code payment that paid it all: "Paid with Code" has said it.
  if (paid.length === 0 || (sale.status === 'paid' && paid.length === 1 && paid[0]!.kind === 'code')) return null;
  const numbers = codeNumbers({ tenders: paid });
  const money = (n: number) => formatMoney(n, sale.currency);
  const owed = outstanding(sale);
  return (
    <dl className="receipt-lines receipt-lines--tenders" data-testid="receipt-tenders" aria-label="Paid with">
      {paid.map((t) =>
        t.kind === 'cash' ? (
          <Fragment key={t.id}>
            <Line name="Cash">{money(t.tendered ?? t.amount)}</Line>
            {(t.change ?? 0) > 0 && <Line name="Change">{money(t.change ?? 0)}</Line>}
          </Fragment>
        ) : (
          <Line key={t.id} name={tenderTitle(t, numbers)}>
            {money(t.amount)}
          </Line>
        ),
      )}
      {sale.status !== 'paid' && owed > 0 && <Line name="Still owed">{money(owed)}</Line>}
    </dl>
  );
}

/** Kin paid, the rate and the intent id of each paid Code payment: the owner's choice (Settings). */
function ReceiptDetails({ sale }: { sale: Sale }) {
  const code = sale.tenders.filter((t) => t.kind === 'code' && t.status === 'paid').sort((a, b) => a.seq - b.seq);
  const numbers = codeNumbers({ tenders: code });
  return (
    <section className="receipt-details" data-testid="receipt-details" aria-label="Payment details">
      <p className="receipt-details-title">Payment details</p>
      {code.length === 0 ? (
        <p className="receipt-details-none">No Code payment.</p>
      ) : (
        code.map((t) => (
          <div key={t.id} data-testid="receipt-code-details">
            {code.length > 1 && <p className="receipt-details-part">{tenderTitle(t, numbers)}</p>}
            <dl className="receipt-lines receipt-lines--details">
              <Line name="Paid in Kin">{t.quarks === null ? '—' : formatKin(t.quarks)}</Line>
              <Line name="Exchange rate">{t.exchangeRate === null ? '—' : formatRate(t.exchangeRate, sale.currency)}</Line>
              <Line name="Intent id" mono>
                {t.intentId ?? '—'}
              </Line>
            </dl>
          </div>
        ))
      )}
    </section>
  );
}

function Line({ name, mono, testId, children }: { name: string; mono?: boolean; testId?: string; children: ReactNode }) {
  return (
    <div className={`receipt-line${mono ? ' receipt-line--block' : ''}`} data-testid={testId}>
      <dt>{name}</dt>
      <dd className={mono ? 'mono receipt-id' : undefined}>{children}</dd>
    </div>
  );
}
