import './refund-dialog.css';
import { useState, type FormEvent } from 'react';
import type { ApiResults, Sale } from '../../../../electron/shared/contract';
import { formatMoney } from '../../../../electron/shared/domain/money';
import { MAX_REFUND_NOTE, refundable, REFUND_METHODS, REFUND_METHOD_WORDS, type RefundMethod } from '../../../../electron/shared/domain/refund';
import { AmountField } from '../../common/amount-field';
import { getCounterApi } from '../../common/api';
import { ModalDialog } from '../../common/modal-dialog';
import { noteLabel, refundArgs, refundDraftFor, refundProblem, refundQuestion, type RefundDraft } from './refund-form';

interface RefundDialogProps {
  sale: Sale;
  onClose(): void;
  onDone(result: ApiResults['refundSale']): void;
}

/** A refund against a paid sale: how much (all that is left, unless told), how it goes back, a note when not cash; then once more to confirm. */
export function RefundDialog({ sale, onClose, onDone }: RefundDialogProps) {
  const [draft, setDraft] = useState<RefundDraft>(() => refundDraftFor(sale));
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const change = (patch: Partial<RefundDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setError(null);
  };

  const ask = (event: FormEvent) => {
    event.preventDefault();
    const problem = refundProblem(draft, sale);
    if (problem) return setError(problem);
    setConfirming(true);
  };

  const refund = async () => {
    if (busy) return;
    setBusy(true);
    const answer = await getCounterApi().refundSale(refundArgs(draft, sale));
    setBusy(false);
    if (answer.ok) onDone(answer.value);
    else {
      setConfirming(false);
      setError(answer.error.message);
    }
  };

  const left = refundable(sale);
  return (
    <ModalDialog open title={`Refund on sale #${sale.id}`} testId="refund-dialog" onClose={onClose}>
      {confirming ? (
        <div className="modal-form">
          <p className="refund-question" data-testid="refund-question">
            {refundQuestion(draft, sale)}
          </p>
          {draft.method === 'cash' && <p>Take the cash from the drawer and hand it to the customer. It is counted out of this shift’s drawer.</p>}
          {draft.method === 'code' && <p>Send the payment from the shop’s Code app yourself: Counter records it, Code has no refund to send.</p>}
          <div className="modal-actions">
            <button type="button" className="button button--primary" data-testid="refund-confirm" data-autofocus disabled={busy} onClick={() => void refund()}>
              {busy ? 'Refunding…' : 'Yes, refund'}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Go back
            </button>
          </div>
        </div>
      ) : (
        <form className="modal-form" onSubmit={ask} noValidate>
          <p>
            Taken {formatMoney(sale.paidAmount, sale.currency)}
            {sale.refundedAmount > 0 ? `, refunded ${formatMoney(sale.refundedAmount, sale.currency)} already` : ''}: at most{' '}
            <strong data-testid="refund-left">{formatMoney(left, sale.currency)}</strong> can be refunded.
          </p>
          <div className="modal-field">
            <label className="modal-label" htmlFor="refund-amount">
              Amount
            </label>
            <AmountField id="refund-amount" testId="refund-amount" currency={sale.currency} value={draft.amount} onChange={(amount) => change({ amount })} />
          </div>
          <fieldset className="refund-methods">
            <legend className="modal-label">How it goes back</legend>
            {REFUND_METHODS.map((m) => (
              <label key={m} className="refund-method">
                <input type="radio" name="refund-method" value={m} data-testid={`refund-method-${m}`} checked={draft.method === m} onChange={() => change({ method: m as RefundMethod })} />
                {REFUND_METHOD_WORDS[m]}
              </label>
            ))}
          </fieldset>
          <div className="modal-field">
            <label className="modal-label" htmlFor="refund-note">
              {noteLabel(draft.method)}
            </label>
            <input id="refund-note" data-testid="refund-note" autoComplete="off" maxLength={MAX_REFUND_NOTE} value={draft.note} onChange={(e) => change({ note: e.target.value })} />
          </div>
          {error && (
            <p className="modal-error" role="alert" data-testid="refund-error">
              {error}
            </p>
          )}
          <div className="modal-actions">
            <button type="submit" className="button button--primary" data-testid="refund-next">
              Refund…
            </button>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
