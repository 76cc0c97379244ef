import { useState, type FormEvent } from 'react';
import type { ShiftReport } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { AmountField } from '../common/amount-field';
import { getCounterApi } from '../common/api';
import { useApiCall } from '../common/use-api-call';
import { ModalActions, ModalDialog } from '../common/modal-dialog';
import { countedCash } from './shift-text';
import { ZReport } from './z-report';

interface OpenShiftViewProps {
  report: ShiftReport;
  timeZone: string;
  shopName: string;
  printer: boolean;
  onClosed(report: ShiftReport): void;
}

/** The open shift: Close with the counted cash (asked once more before it is final), and its Z-report so far. */
export function OpenShiftView({ report, timeZone, shopName, onClosed }: OpenShiftViewProps) {
  const [text, setText] = useState('');
  const { error, setError, busy, send } = useApiCall();
  const [confirming, setConfirming] = useState<number | null>(null);
  const { currency } = report.shift;

  const ask = (event: FormEvent) => {
    event.preventDefault();
    const read = countedCash(text, currency, 'count');
    if ('error' in read) return setError(read.error);
    setError(null);
    setConfirming(read.amount);
  };

  const close = async () => {
    if (confirming === null || busy) return;
    await send(
      () => getCounterApi().closeShift({ countedCash: confirming }),
      (closed) => {
        setConfirming(null);
        setText('');
        onClosed(closed);
      },
      () => setConfirming(null),
    );
  };

  return (
    <>
      <form className="shift-panel shift-close" data-testid="shift-close-form" onSubmit={ask} noValidate aria-labelledby="shift-close-title">
        <div className="shift-row">
          <h2 id="shift-close-title" className="shift-panel-title shift-close-title">
            Close the shift
          </h2>
          <label className="shift-label" htmlFor="shift-counted">
            Cash counted
          </label>
          <AmountField id="shift-counted" testId="shift-counted" currency={currency} value={text} invalid={error !== null} describedBy="shift-close-hint shift-close-error" onChange={(t) => (setText(t), setError(null))} />
          <button type="submit" className="button button--primary button--small" data-testid="close-shift">
            Close shift…
          </button>
          <p className="hint shift-close-hint" id="shift-close-hint">
            Count every note and coin, float included. Finish or cancel open sales first.
          </p>
        </div>
        <p id="shift-close-error" className={error ? 'error-note' : 'visually-hidden'} data-testid="shift-close-error" role={error ? 'alert' : undefined}>
          {error}
        </p>
      </form>
      <ZReport report={report} timeZone={timeZone} shopName={shopName} />
      <ModalDialog open={confirming !== null} title="Close the shift?" testId="close-shift-dialog" onClose={() => setConfirming(null)}>
        <p className="close-shift-text">
          Shift #{report.shift.id} closes with <strong data-testid="close-shift-counted">{formatMoney(confirming ?? 0, currency)}</strong> counted. The count cannot be
          changed afterwards.
        </p>
        <ModalActions label="Close shift" busyLabel="Closing…" testId="close-shift-yes" busy={busy} onConfirm={() => void close()} backLabel="Go back" onBack={() => setConfirming(null)} />
      </ModalDialog>
    </>
  );
}
