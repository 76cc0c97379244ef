import './status-bar.css';
import type { AppStatus } from '../../../electron/shared/contract';
import { railHealthText } from '../../../electron/shared/domain/rail';
import { printerStatusText } from '../common/print-jobs';
import { syncText } from '../common/sync-text';
import { clock, tunnelText } from '../common/tunnel-text';

interface StatusBarProps {
  status: AppStatus | null;
  /** Why the status is unknown, when getStatus failed. */
  error: string | null;
}

/** What the owner needs to trust the till: mode, listener health, whether Code takes payments, tunnel, the receipt printer, where webhooks go, the last payment event. */
export function StatusBar({ status, error }: StatusBarProps) {
  if (!status) {
    return (
      <footer className="status-bar" data-testid="status-bar">
        <div className="status-row">
          <span className="status-item status-item--bad" role="status">
            {error ?? 'Connecting to Counter…'}
          </span>
        </div>
      </footer>
    );
  }
  const tunnel = tunnelText(status);
  // "Code payments: unavailable (why)": the label, then the state in the status bar's own style.
  const railText = railHealthText(status.rail);
  const railState = railText.slice(railText.indexOf(': ') + 2);
  const railTone = status.rail.state === 'available' ? 'ok' : status.rail.state === 'unavailable' ? 'bad' : 'warn';
  const printer = printerStatusText(status.printer);
  const sync = syncText(status.sync);
  const lastEvent = status.lastEvent ? `${clock(status.lastEvent.at)} · ${status.lastEvent.text}` : 'none yet';
  // Two fixed rows: long URLs and messages are cut with an ellipsis (full text on hover), never a third row.
  return (
    <footer className="status-bar" data-testid="status-bar" aria-label="Status">
      <div className="status-row">
        <span className={`status-item status-item--fixed status-item--${status.mode === 'sandbox' ? 'warn' : 'ok'}`} data-testid="status-mode">
          <span className="status-label">Mode</span> {status.mode === 'sandbox' ? 'Sandbox' : 'Live'}
        </span>
        <span className={`status-item status-item--fixed status-item--${status.listener.healthy ? 'ok' : 'bad'}`} data-testid="status-listener">
          <span className="status-label">Listener</span> {status.listener.healthy ? 'healthy' : 'not responding'}
        </span>
        <span
          className={`status-item status-item--rail status-item--${railTone}`}
          data-testid="status-rail"
          data-state={status.rail.state}
          title={status.rail.state === 'unavailable' ? `${railText}: ${status.rail.detail}` : railText}
        >
          <span className="status-label">Code payments</span> {railState}
        </span>
        <span className={`status-item status-item--${tunnel.tone}`} data-testid="status-tunnel" title={tunnel.detail ? `${tunnel.text} (${tunnel.detail})` : tunnel.text}>
          <span className="status-label">Tunnel</span> {tunnel.text}
        </span>
        {error && (
          <span className="status-item status-item--bad" role="status">
            {error}
          </span>
        )}
      </div>
      <div className="status-row">
        <span
          className={`status-item status-item--printer${printer.tone === 'none' ? '' : ` status-item--${printer.tone}`}`}
          data-testid="status-printer"
          data-state={status.printer.state}
          title={printer.title}
        >
          <span className="status-label">Printer</span> {printer.text}
        </span>
        {/* Only when a shop database is set: synced, n waiting, or why not. */}
        {sync && (
          <span className={`status-item status-item--sync status-item--${sync.tone}`} data-testid="status-sync" data-state={status.sync.state} title={`Shop database: ${sync.text}`}>
            <span className="status-label">Shop database</span> {sync.text}
          </span>
        )}
        {/* As the main process sends it: the secret path segment already reads [redacted]. */}
        <span className={`status-item status-item--${status.webhookUrl ? 'ok' : 'warn'}`} data-testid="status-webhook" title={status.webhookUrl ?? undefined}>
          <span className="status-label">Webhooks</span> {status.webhookUrl ?? 'polling only'}
        </span>
        <span className="status-item" data-testid="status-last-event" title={lastEvent}>
          <span className="status-label">Last event</span> {lastEvent}
        </span>
      </div>
    </footer>
  );
}
