import { useState, type FormEvent } from 'react';
import type { AppStatus } from '../../../electron/shared/contract';
import { AmountField } from '../common/amount-field';
import { getCounterApi } from '../common/api';
import { useApiCall } from '../common/use-api-call';
import { countedCash } from './shift-text';

interface OpenShiftFormProps {
  status: AppStatus | null;
  onOpened(): void;
}

/** No shift is open: count the drawer's cash and open one with it as the float. */
export function OpenShiftForm({ status, onOpened }: OpenShiftFormProps) {
  const [text, setText] = useState('');
  const { error, setError, busy, send } = useApiCall();
  const currency = status?.currency ?? 'usd';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !status) return;
    const read = countedCash(text, currency, 'float');
    if ('error' in read) return setError(read.error);
    await send(
      () => getCounterApi().openShift({ float: read.amount }),
      () => {
        setText('');
        setError(null);
        onOpened();
      },
    );
  };

  return (
    <form className="shift-panel" data-testid="shift-open-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2 className="shift-panel-title">No shift is open</h2>
      <p>
        Count the cash in the drawer before the first sale: the shift starts with that float, and at the close the count is checked against it and
        the cash taken.
      </p>
      {status && (
        <p className="hint">
          The shift runs in {status.mode === 'sandbox' ? 'sandbox (test)' : 'live'} mode, in {currency.toUpperCase()}.
        </p>
      )}
      <div className="shift-row">
        <div className="shift-field">
          <label className="shift-label" htmlFor="shift-float">
            Float counted
          </label>
          <AmountField id="shift-float" testId="shift-float" currency={currency} value={text} invalid={error !== null} describedBy="shift-open-error" large onChange={(t) => (setText(t), setError(null))} />
        </div>
        <button type="submit" className="button button--primary" data-testid="open-shift" disabled={busy || !status}>
          {busy ? 'Opening…' : 'Open shift'}
        </button>
      </div>
      <p id="shift-open-error" className={error ? 'error-note' : 'visually-hidden'} data-testid="shift-open-error" role={error ? 'alert' : undefined}>
        {error}
      </p>
    </form>
  );
}
