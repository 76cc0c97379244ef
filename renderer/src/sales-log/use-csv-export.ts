import { useCallback, useRef, useState } from 'react';
import type { SalesFilter } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { salesCount } from '../common/sale-labels';
import { useCounterEvents } from '../common/use-counter-events';

export interface ExportState {
  /** The exportCsv call is running (the app's save dialog and the writing; in the preview, only the link's preparation). */
  busy: boolean;
  progress: { written: number; total: number } | null;
  message: { tone: 'ok' | 'error' | 'info'; text: string } | null;
}

/**
 * A CSV export of the log's filter. In the app the main process asks where
 * to save and writes the file before answering; in the preview it answers
 * at once with a one-time download link and writes while the browser
 * downloads. Both push `export` progress events, the last with `done`.
 */
export function useCsvExport() {
  const [state, setState] = useState<ExportState>({ busy: false, progress: null, message: null });
  // Which export the progress events belong to: none, the call still running, or a download in flight.
  const phase = useRef<{ kind: 'idle' } | { kind: 'calling' } | { kind: 'download'; rows: number }>({ kind: 'idle' });

  useCounterEvents((event) => {
    if (event.type !== 'export' || phase.current.kind === 'idle') return;
    if (!event.done) {
      setState((s) => ({ ...s, progress: { written: event.written, total: event.total } }));
      return;
    }
    if (phase.current.kind === 'download') {
      phase.current = { kind: 'idle' };
      setState({ busy: false, progress: null, message: { tone: 'ok', text: `Exported ${salesCount(event.written)} to CSV: the file is in your browser's downloads.` } });
    } else {
      // The app's call answers right after this with where the file went.
      setState((s) => ({ ...s, progress: null }));
    }
  });

  const start = useCallback(async (filter: SalesFilter) => {
    // A download still streaming does not block another export; the call itself does.
    if (phase.current.kind === 'calling') return;
    phase.current = { kind: 'calling' };
    setState({ busy: true, progress: null, message: { tone: 'info', text: 'Preparing the export…' } });
    const answer = await getCounterApi().exportCsv({ filter });
    if (!answer.ok) {
      phase.current = { kind: 'idle' };
      setState({ busy: false, progress: null, message: { tone: 'error', text: answer.error.message } });
      return;
    }
    const result = answer.value;
    if (result.kind === 'cancelled') {
      phase.current = { kind: 'idle' };
      setState({ busy: false, progress: null, message: null });
    } else if (result.kind === 'saved') {
      phase.current = { kind: 'idle' };
      setState({ busy: false, progress: null, message: { tone: 'ok', text: `Saved ${salesCount(result.rows)} to ${result.path}` } });
    } else {
      phase.current = { kind: 'download', rows: result.rows };
      setState({ busy: false, progress: { written: 0, total: result.rows }, message: { tone: 'info', text: `Downloading ${salesCount(result.rows)} as CSV…` } });
      download(result.url);
    }
  }, []);

  return { ...state, start };
}

function download(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
