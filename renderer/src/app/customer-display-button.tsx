import './customer-display-button.css';
import { useEffect, useState } from 'react';
import { getCounterApi } from '../common/api';

type Note = { tone: 'info' | 'error'; text: string } | null;

/** Long enough to read, then out of the way of the tabs below it. */
const NOTE_MS = 8_000;

/**
 * Shows the customer display (SPEC §7). The app opens (or brings back) its
 * own window and answers `window`; the browser preview answers the customer
 * page's address, which the till opens as a second page; `off` means the
 * owner turned it off in Settings.
 */
export function CustomerDisplayButton() {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);

  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(null), NOTE_MS);
    return () => clearTimeout(timer);
  }, [note]);

  const open = async () => {
    setBusy(true);
    setNote(null);
    const answer = await getCounterApi().openCustomerDisplay(undefined);
    setBusy(false);
    if (!answer.ok) setNote({ tone: 'error', text: answer.error.message });
    else if (answer.value.kind === 'off') setNote({ tone: 'info', text: 'The customer display is off. Turn it on in Settings.' });
    else if (answer.value.kind === 'url') {
      // One named window: a second press brings the same page back instead of opening another.
      const opened = window.open(answer.value.url, 'counter-customer');
      if (!opened) setNote({ tone: 'error', text: `The browser blocked the window. Open ${answer.value.url} on the customer's screen.` });
    }
  };

  return (
    <div className="customer-display">
      <button type="button" className="button button--small" data-testid="open-customer-display" disabled={busy} aria-busy={busy} onClick={() => void open()}>
        Customer display
      </button>
      <p className={`customer-display-note customer-display-note--${note?.tone ?? 'info'}`} data-testid="customer-display-note" role="status" hidden={!note}>
        {note?.text}
      </p>
    </div>
  );
}
