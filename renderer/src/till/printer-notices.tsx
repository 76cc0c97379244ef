import './printer-notices.css';
import type { PointerEvent } from 'react';
import type { PrintJob } from '../../../electron/shared/contract';
import { failureHeadline, jobSubject } from '../common/print-jobs';
import { FAULTS_SHOWN } from './printer-faults';

interface PrinterNoticesProps {
  faults: PrintJob[];
  retryErrors: Record<number, string>;
  onRetry(jobId: number): void;
  onDismiss(jobId: number): void;
}

/** What the receipt still to print or the drawer not opened means for the sale: nothing, it is recorded. */
function aside(job: PrintJob): string {
  if (job.kind === 'drawer') return 'Open the drawer by hand if needed.';
  if (job.kind === 'receipt') return 'The sale is recorded; the receipt waits for Retry.';
  return 'It waits for Retry.';
}

/** A click leaves focus where it was: the cashier's next Enter charges (or starts the next sale), never retries a print. */
const keepFocus = (event: PointerEvent) => event.preventDefault();

/**
 * The receipt printer's faults, above whatever the till shows: a sale in
 * progress or PAID stays as it is. Each failed job says why in the printer's
 * words, with Retry (the same job, printed once) and Dismiss (it stays in the
 * queue, and can be printed again from the sales log).
 */
export function PrinterNotices({ faults, retryErrors, onRetry, onDismiss }: PrinterNoticesProps) {
  if (faults.length === 0) return null;
  const shown = faults.slice(0, FAULTS_SHOWN);
  const more = faults.length - shown.length;
  return (
    <ul className="printer-notices" aria-label="Receipt printer">
      {shown.map((job) => {
        const retrying = job.state !== 'failed';
        return (
          <li key={job.id} className="printer-notice" data-testid="printer-fault" data-job-id={job.id} data-state={job.state} role="alert">
            <div className="printer-notice-text">
              <p>
                <strong>{failureHeadline(job)}:</strong> {job.lastError ?? 'the printer did not take it.'}
              </p>
              <p className="printer-notice-meta">
                {jobSubject(job)} · {retrying ? 'Trying again…' : aside(job)}
              </p>
              {retryErrors[job.id] && (
                <p className="printer-notice-refused" data-testid="printer-retry-error">
                  {retryErrors[job.id]}
                </p>
              )}
            </div>
            <div className="printer-notice-actions">
              <button type="button" className="button button--small button--primary" data-testid="printer-retry" disabled={retrying} onPointerDown={keepFocus} onClick={() => onRetry(job.id)}>
                {retrying ? 'Retrying…' : 'Retry'}
              </button>
              <button type="button" className="button button--small" data-testid="printer-dismiss" onPointerDown={keepFocus} onClick={() => onDismiss(job.id)}>
                Dismiss
              </button>
            </div>
          </li>
        );
      })}
      {more > 0 && (
        <li className="printer-notice printer-notice--more" data-testid="printer-faults-more">
          <p className="printer-notice-text">
            <strong>
              {more} more {more === 1 ? 'print' : 'prints'} not done.
            </strong>{' '}
            They wait in the queue.
          </p>
          <div className="printer-notice-actions">
            <button type="button" className="button button--small" data-testid="printer-retry-all" onPointerDown={keepFocus} onClick={() => faults.filter((j) => j.state === 'failed').forEach((j) => onRetry(j.id))}>
              Retry all
            </button>
          </div>
        </li>
      )}
    </ul>
  );
}
