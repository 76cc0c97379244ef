import { useState, type FormEvent } from 'react';
import type { Sale } from '../../../../electron/shared/contract';
import { formatMoney } from '../../../../electron/shared/domain/money';
import { MAX_REFUND_NOTE } from '../../../../electron/shared/domain/refund';
import { getCounterApi } from '../../common/api';
import { useApiCall } from '../../common/use-api-call';
import { ModalActions, ModalDialog, ModalError } from '../../common/modal-dialog';
import { voidArgs, voidDraftFor, voidProblem, type VoidDraft } from './refund-form';
import { RefundMethodFields } from './refund-method-fields';

interface VoidDialogProps {
  sale: Sale;
  onClose(): void;
  onDone(): void;
}

/** A manager closes an open sale with a reason; what it took is handed back as refunds. */
export function VoidDialog({ sale, onClose, onDone }: VoidDialogProps) {
  const [draft, setDraft] = useState<VoidDraft>(() => voidDraftFor(sale));
  const { error, setError, busy, send } = useApiCall();
  const change = (patch: Partial<VoidDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setError(null);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problem = voidProblem(draft, sale);
    if (problem) return setError(problem);
    await send(() => getCounterApi().voidSale(voidArgs(draft, sale)), onDone);
  };
  const taken = sale.paidAmount > 0;
  return (
    <ModalDialog open title={`Void sale #${sale.id}`} testId="void-dialog" onClose={onClose}>
      <form className="modal-form" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          The sale is closed as cancelled
          {taken ? (
            <>
              , and the <strong>{formatMoney(sale.paidAmount, sale.currency)}</strong> it took is handed back as a refund
            </>
          ) : null}
          . A waiting Code payment is cancelled.
        </p>
        <div className="modal-field">
          <label className="modal-label" htmlFor="void-reason">
            Reason
          </label>
          <input id="void-reason" data-testid="void-reason" autoComplete="off" maxLength={MAX_REFUND_NOTE} value={draft.reason} onChange={(e) => change({ reason: e.target.value })} />
        </div>
        {taken && <RefundMethodFields name="void" legend="How the money goes back" method={draft.method} note={draft.note} onChange={change} />}
        <ModalError error={error} testId="void-error" />
        <ModalActions label="Void the sale" busyLabel="Voiding…" testId="void-confirm" busy={busy} onBack={onClose} />
      </form>
    </ModalDialog>
  );
}
