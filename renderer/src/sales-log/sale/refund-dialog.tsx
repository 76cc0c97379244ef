import './refund-dialog.css';
import { useState, type FormEvent } from 'react';
import type { ApiResults, Sale } from '../../../../electron/shared/contract';
import { formatMoney } from '../../../../electron/shared/domain/money';
import { refundable } from '../../../../electron/shared/domain/refund';
import { AmountField } from '../../common/amount-field';
import { getCounterApi } from '../../common/api';
import { useApiCall } from '../../common/use-api-call';
import { ModalActions, ModalDialog, ModalError } from '../../common/modal-dialog';
import { refundArgs, refundDraftFor, refundProblem, refundQuestion, type RefundDraft } from './refund-form';
import { RefundMethodFields } from './refund-method-fields';

interface RefundDialogProps {
  sale: Sale;
  onClose(): void;
  onDone(result: ApiResults['refundSale']): void;
}

/** A refund against a paid sale: how much (all that is left, unless told), how it goes back, a note when not cash; then once more to confirm. */
export function RefundDialog({ sale, onClose, onDone }: RefundDialogProps) {
  const [draft, setDraft] = useState<RefundDraft>(() => refundDraftFor(sale));
  const [confirming, setConfirming] = useState(false);
  const { error, setError, busy, send } = useApiCall();
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
    await send(() => getCounterApi().refundSale(refundArgs(draft, sale)), onDone, () => setConfirming(false));
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
          <ModalActions label="Yes, refund" busyLabel="Refunding…" testId="refund-confirm" busy={busy} onConfirm={() => void refund()} backLabel="Go back" onBack={() => setConfirming(false)} />
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
          <RefundMethodFields name="refund" legend="How it goes back" method={draft.method} note={draft.note} onChange={change} />
          <ModalError error={error} testId="refund-error" />
          <ModalActions label="Refund…" testId="refund-next" onBack={onClose} />
        </form>
      )}
    </ModalDialog>
  );
}
