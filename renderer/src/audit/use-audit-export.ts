import { useCallback, useRef, useState } from 'react';
import { getCounterApi } from '../common/api';
import { useCounterEvents } from '../common/use-counter-events';

export interface AuditExportState {
  busy: boolean;
  message: { tone: 'ok' | 'error' | 'info'; text: string } | null;
}

const entries = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'entry' : 'entries'}`;

/**
 * The whole audit log as CSV: in the app the main process asks where to save
 * it; in the preview it answers a one-time download link (with the token
 * added by the API client); an `export` event with `done`, when the main
 * process sends one, says it is written.
 */
export function useAuditExport() {
  const [state, setState] = useState<AuditExportState>({ busy: false, message: null });
  const downloading = useRef(false);

  useCounterEvents((event) => {
    if (event.type !== 'export' || !event.done || !downloading.current) return;
    downloading.current = false;
    setState({ busy: false, message: { tone: 'ok', text: `Exported ${entries(event.written)} to CSV: the file is in your browser's downloads.` } });
  });

  const start = useCallback(async () => {
    setState({ busy: true, message: { tone: 'info', text: 'Preparing the export…' } });
    const answer = await getCounterApi().exportAudit(undefined);
    if (!answer.ok) return setState({ busy: false, message: { tone: 'error', text: answer.error.message } });
    const result = answer.value;
    if (result.kind === 'cancelled') setState({ busy: false, message: null });
    else if (result.kind === 'saved') setState({ busy: false, message: { tone: 'ok', text: `Saved ${entries(result.rows)} to ${result.path}` } });
    else {
      downloading.current = true;
      setState({ busy: false, message: { tone: 'ok', text: `Downloading ${entries(result.rows)} as CSV: the file goes to your browser's downloads.` } });
      const link = document.createElement('a');
      link.href = result.url;
      link.download = '';
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
    }
  }, []);

  return { ...state, start };
}
