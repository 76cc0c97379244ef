import './support-fields.css';
import { useState } from 'react';
import { getCounterApi, inBrowserPreview } from '../common/api';

type Answer = { tone: 'ok' | 'info' | 'error'; text: string; path: string | null } | null;

/** Where the log file is, for a support call, and a button that opens its folder (in the app; a browser can only be told where it is). */
export function SupportFields({ logFile }: { logFile: string | null }) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer>(null);

  const open = async () => {
    setBusy(true);
    const result = await getCounterApi().openLogFolder(undefined);
    setBusy(false);
    if (!result.ok) setAnswer({ tone: 'error', text: result.error.message, path: null });
    else if (result.value.opened) setAnswer({ tone: 'ok', text: 'Opened the log folder:', path: result.value.path });
    else if (inBrowserPreview()) setAnswer({ tone: 'info', text: 'A browser cannot open folders on this computer. The log folder is:', path: result.value.path });
    else if (result.value.path) setAnswer({ tone: 'error', text: 'The log folder could not be opened. It is:', path: result.value.path });
    else setAnswer({ tone: 'error', text: 'Counter is not writing a log file.', path: null });
  };

  return (
    <fieldset className="field field--group" data-testid="settings-support">
      <legend className="field-label">Support</legend>
      <p className="field-sublabel">Log file</p>
      <p className="support-path mono" data-testid="settings-log-file">
        {logFile ?? 'none (Counter is not writing a log file)'}
      </p>
      <p className="field-hint">Someone helping you may ask for it: it says what Counter did, with secrets left out.</p>
      <div className="support-actions">
        <button type="button" className="button button--small" data-testid="open-log-folder" disabled={busy} aria-busy={busy} onClick={() => void open()}>
          Open log folder
        </button>
      </div>
      <p className={`support-answer support-answer--${answer?.tone ?? 'info'}`} data-testid="log-folder-answer" role="status">
        {answer?.text}
        {answer?.path ? (
          <>
            {' '}
            <span className="mono">{answer.path}</span>
          </>
        ) : null}
      </p>
    </fieldset>
  );
}
