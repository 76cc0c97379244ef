import './no-sale-button.css';
import { useEffect, useRef, useState } from 'react';
import type { DrawerOpening, PrintJob } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { printJobFeed } from '../common/print-job-feed';
import { failureText } from '../common/print-jobs';

type Message = { tone: 'info' | 'ok' | 'error'; text: string } | null;

/** The drawer job a No sale made: the first No-sale kick reported at or after the opening that was not there before the click. */
function isKickFor(job: PrintJob, opening: DrawerOpening, before: ReadonlySet<number>): boolean {
  return job.kind === 'drawer' && job.reason === 'no-sale' && !before.has(job.id) && job.createdAt >= opening.at - 1_000;
}

function messageOf(job: PrintJob): Message {
  if (job.state === 'printed') return { tone: 'ok', text: 'Drawer opened.' };
  if (job.state === 'failed') return { tone: 'error', text: failureText(job) };
  return { tone: 'info', text: 'Opening the drawer…' };
}

/**
 * "No sale": opens the cash drawer through the receipt printer when no sale
 * is on the till (change for the float, a count). The main process records
 * each opening in the day's log; the kick itself goes through the print
 * queue, so this says "Drawer opened" once the printer has taken it.
 */
export function NoSaleButton() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const watching = useRef<{ opening: DrawerOpening; before: Set<number>; jobId: number | null } | null>(null);

  useEffect(
    () =>
      printJobFeed().subscribe((job) => {
        const w = watching.current;
        if (!w || (w.jobId !== null ? job.id !== w.jobId : !isKickFor(job, w.opening, w.before))) return;
        w.jobId = job.id;
        setMessage(messageOf(job));
      }),
    [],
  );

  const open = async () => {
    const feed = printJobFeed();
    const before = new Set(feed.recent().filter((j) => j.kind === 'drawer').map((j) => j.id));
    setBusy(true);
    setMessage(null);
    watching.current = null;
    const answer = await getCounterApi().openDrawer(undefined);
    setBusy(false);
    if (!answer.ok) {
      setMessage({ tone: 'error', text: answer.error.message });
      return;
    }
    // The kick may have been reported before this answer arrived.
    const kick = feed.recent().find((j) => isKickFor(j, answer.value, before)) ?? null;
    watching.current = { opening: answer.value, before, jobId: kick?.id ?? null };
    setMessage(kick ? messageOf(kick) : { tone: 'info', text: 'Opening the drawer…' });
  };

  return (
    <div className="no-sale">
      <button
        type="button"
        className="button no-sale-button"
        data-testid="open-drawer"
        disabled={busy}
        aria-busy={busy}
        // As the keypad's keys: a click leaves focus where it was, so the cashier's next Enter charges instead of opening the drawer again.
        onPointerDown={(e) => e.preventDefault()}
        onClick={() => void open()}
      >
        {busy ? 'Opening…' : 'No sale / open drawer'}
      </button>
      <p className={`no-sale-message no-sale-message--${message?.tone ?? 'info'}`} data-testid="open-drawer-message" role={message?.tone === 'error' ? 'alert' : 'status'}>
        {message?.text}
      </p>
    </div>
  );
}
