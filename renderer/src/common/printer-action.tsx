import './printer-action.css';
import type { Envelope, PrintJob } from '../../../electron/shared/contract';
import { printProgress } from './print-jobs';
import { usePrintRequest } from './use-print-request';

interface PrinterActionProps {
  label: string;
  /** The label once something was printed (or is printing) from here: "Print again". */
  againLabel?: string;
  /** The button's test id; its message is `<testId>-message`, its Retry `<testId>-retry`. */
  testId: string;
  run(): Promise<Envelope<PrintJob | PrintJob[]>>;
  disabled?: boolean;
  /** Why the button is off, shown under it. */
  disabledHint?: string | null;
  /** Also follow jobs not asked for here (a sale's automatic receipt). */
  adopt?: (job: PrintJob) => boolean;
  /** Offer Retry for a failed job here (off where the till's own notice already offers it). */
  retry?: boolean;
  primary?: boolean;
  /** A click leaves focus where it was (on the till, Enter belongs to Next sale, not to a second print). */
  keepFocus?: boolean;
}

/**
 * A button that prints on the receipt printer, then says what became of it:
 * waiting, printed, or the printer's fault with Retry. The print runs in the
 * main process's queue, so leaving the screen never loses it.
 */
export function PrinterAction({ label, againLabel, testId, run, disabled = false, disabledHint, adopt, retry = true, primary = false, keepFocus = false }: PrinterActionProps) {
  const request = usePrintRequest(adopt);
  const progress = printProgress(request.jobs);
  const tone = request.error ? 'error' : (progress?.tone ?? 'info');
  const text = request.error ?? progress?.text ?? (disabled ? (disabledHint ?? '') : '');
  const failed = progress?.failed ?? [];
  const retryAll = async () => {
    for (const job of failed) await request.retry(job.id);
  };
  return (
    <div className="printer-action">
      <button
        type="button"
        className={`button button--small${primary ? ' button--primary' : ''}`}
        data-testid={testId}
        disabled={disabled || request.busy}
        aria-busy={request.busy}
        onPointerDown={keepFocus ? (e) => e.preventDefault() : undefined}
        onClick={() => void request.run(run)}
      >
        {request.busy ? 'Sending…' : request.jobs.length > 0 && againLabel ? againLabel : label}
      </button>
      {retry && failed.length > 0 && (
        <button type="button" className="button button--small" data-testid={`${testId}-retry`} disabled={request.busy} onClick={() => void retryAll()}>
          Retry
        </button>
      )}
      <p className={`printer-action-message printer-action-message--${tone}`} data-testid={`${testId}-message`} role={tone === 'error' ? 'alert' : 'status'}>
        {text}
      </p>
    </div>
  );
}
