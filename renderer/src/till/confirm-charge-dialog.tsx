import './confirm-charge-dialog.css';
import { formatMoney } from '../../../electron/shared/domain/money';
import { useModalDialog } from '../common/use-modal-dialog';

interface ConfirmChargeDialogProps {
  open: boolean;
  /** Integer hundredths. */
  amount: number;
  currency: string;
  /** The owner's threshold (Settings), in hundredths. */
  confirmAbove: number;
  onCharge(): void;
  onBack(): void;
}

/**
 * Asked before charging more than the owner's threshold: a slip of the
 * finger (one zero too many) is caught before the customer sees the code.
 * A modal <dialog>, so nothing behind it takes a click or a key; Charge has
 * focus (Enter confirms) and Escape goes back with the amount kept.
 */
export function ConfirmChargeDialog({ open, amount, currency, confirmAbove, onCharge, onBack }: ConfirmChargeDialogProps) {
  const dialog = useModalDialog(open);

  return (
    <dialog
      ref={dialog}
      className="confirm-charge"
      data-testid="confirm-charge"
      aria-labelledby="confirm-charge-title"
      aria-describedby="confirm-charge-text"
      onCancel={(event) => {
        // Escape: the till decides (it goes back, keeping the amount).
        event.preventDefault();
        onBack();
      }}
    >
      <h2 id="confirm-charge-title" className="confirm-charge-title">
        Charge this amount?
      </h2>
      <p className="confirm-charge-amount" data-testid="confirm-charge-amount">
        {formatMoney(amount, currency)}
      </p>
      <p id="confirm-charge-text" className="confirm-charge-text">
        It is more than {formatMoney(confirmAbove, currency)}. Check the amount with the customer before they pay.
      </p>
      <div className="confirm-charge-actions">
        <button type="button" className="button button--charge" data-testid="confirm-charge-yes" data-autofocus onClick={onCharge}>
          Charge <span className="key-hint">Enter</span>
        </button>
        <button type="button" className="button" data-testid="confirm-charge-back" onClick={onBack}>
          Go back <span className="key-hint">Esc</span>
        </button>
      </div>
    </dialog>
  );
}
