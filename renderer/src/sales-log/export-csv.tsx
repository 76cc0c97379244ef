import './export-csv.css';
import type { ExportState } from './use-csv-export';
import { formatCount } from '../common/sale-labels';

interface ExportCsvProps {
  state: ExportState;
  disabled: boolean;
  /** Why it cannot be used here, shown beside it (the shop scope: the CSV is this till's). */
  disabledReason?: string | null;
  onExport(): void;
}

/** The Export button; its progress and outcome are shown by ExportStatus, under the filters. */
export function ExportCsvButton({ state, disabled, disabledReason, onExport }: ExportCsvProps) {
  return (
    <>
      {disabledReason && (
        <span className="hint export-note" id="export-csv-note" data-testid="export-csv-note">
          {disabledReason}
        </span>
      )}
      <button
        type="button"
        className="button button--small"
        data-testid="export-csv"
        disabled={disabled || state.busy}
        aria-busy={state.busy}
        aria-describedby={disabledReason ? 'export-csv-note' : undefined}
        onClick={onExport}
      >
        {state.busy ? 'Exporting…' : 'Export CSV'}
      </button>
    </>
  );
}

export function ExportStatus({ state }: { state: ExportState }) {
  if (!state.progress && !state.message) return null;
  return (
    <div className="export-status">
      {state.progress && (
        <p className="export-progress" data-testid="export-progress" role="status">
          <progress max={Math.max(1, state.progress.total)} value={state.progress.written} />
          Exporting… {formatCount(state.progress.written)} of {formatCount(state.progress.total)}
        </p>
      )}
      {state.message && (
        <p className={`export-message export-message--${state.message.tone}`} data-testid="export-message" role={state.message.tone === 'error' ? 'alert' : 'status'}>
          {state.message.text}
        </p>
      )}
    </div>
  );
}
