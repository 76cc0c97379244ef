import './waiting-panel.css';
import type { CodePaymentView } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { codePaymentTitle } from '../common/tender-text';
import { CodeButton, type ButtonEvent } from './code-button';
import { ScanCode } from './scan-code';

interface WaitingPanelProps {
  payment: CodePaymentView;
  buttonNote: string | null;
  onButtonEvent(event: ButtonEvent, message?: string): void;
}

/**
 * A Code payment waiting for the customer ("Code payment 2 of 3 — $1.00"):
 * the scan code Counter draws, and in live mode Code's own button as well
 * (it cannot know a sandbox payment request, so sandbox shows only Counter's).
 */
export function WaitingPanel({ payment, buttonNote, onButtonEvent }: WaitingPanelProps) {
  return (
    <div className="waiting" data-testid="code-payment" data-tender-id={payment.tenderId}>
      <div className="waiting-body">
        <h2 className="waiting-title" data-testid="code-payment-title">
          {codePaymentTitle(payment.index, payment.count)} — {formatMoney(payment.amount, payment.currency)}
        </h2>
        <p className="waiting-text" data-testid="waiting" role="status">
          <span className="spinner" aria-hidden="true" />
          Waiting for the customer to pay…
        </p>
        <p className="hint">
          {payment.count > 1
            ? `Code takes this sale in ${payment.count} payments: the customer scans each payment code in turn.`
            : 'The customer scans this code with the Code app.'}
        </p>
        {payment.mode === 'live' && <CodeButton payment={payment} onEvent={onButtonEvent} />}
        {buttonNote && (
          <p className="note" data-testid="button-note">
            The Code button reported: {buttonNote}. The payment stays open; Counter still checks for it.
          </p>
        )}
      </div>
      <ScanCode payment={payment} />
    </div>
  );
}
