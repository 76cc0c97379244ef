import './audit-screen.css';
import { useEffect, useRef } from 'react';
import type { AppStatus, AuditEntry } from '../../../electron/shared/contract';
import { AUDIT_ACTIONS, type AuditAction } from '../../../electron/shared/domain/audit';
import { fullTime, rowTime } from '../common/shop-time';
import { useLoadOnView } from '../common/use-load-on-view';
import { ACTION_WORDS, detailLines, WATCHED_ACTIONS } from './audit-text';
import { useAuditExport } from './use-audit-export';
import { useAuditLog } from './use-audit-log';

interface AuditScreenProps {
  active: boolean;
  status: AppStatus | null;
}

/** The owner's audit log: who did what and when, newest first, one action or all, each entry's detail on demand; Export CSV. */
export function AuditScreen({ active, status }: AuditScreenProps) {
  const log = useAuditLog();
  const exporter = useAuditExport();
  const timeZone = status?.timeZone ?? 'UTC';
  const more = useRef<HTMLButtonElement>(null);
  useLoadOnView(more, log.loaded && log.cursor !== null && !log.loadingMore, log.entries.length, () => void log.loadMore());

  // Read afresh each time the screen opens: the log only grows.
  const { load, action } = log;
  const latestAction = useRef(action);
  latestAction.current = action;
  useEffect(() => {
    if (active) void load(latestAction.current);
  }, [active, load]);

  return (
    <section className="audit" aria-labelledby="audit-title" data-testid="audit-screen">
      <div className="audit-top">
        <h1 id="audit-title" tabIndex={-1}>
          Audit log
        </h1>
        <div className="audit-tools">
          <label className="audit-filter">
            <span className="audit-filter-label">Show</span>
            <select data-testid="audit-filter" value={action ?? ''} onChange={(e) => void load((e.target.value || null) as AuditAction | null)}>
              <option value="">Everything</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {ACTION_WORDS[a]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button--small" data-testid="audit-refresh" onClick={() => void load(action)}>
            Refresh
          </button>
          <button type="button" className="button button--small" data-testid="audit-export" disabled={exporter.busy} aria-busy={exporter.busy} onClick={() => void exporter.start()}>
            {exporter.busy ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </div>
      {exporter.message && (
        <p className={`audit-export audit-export--${exporter.message.tone}`} data-testid="audit-export-message" role={exporter.message.tone === 'error' ? 'alert' : 'status'}>
          {exporter.message.text}
        </p>
      )}
      <p className="hint">Every entry is kept for good: nothing here can be changed or deleted. Times are the shop's ({timeZone}).</p>
      {log.error && (
        <p className="error-note" role="alert">
          {log.error}
        </p>
      )}
      {!log.loaded && log.entries.length === 0 && !log.error && <p className="hint">Loading…</p>}
      {log.loaded && log.entries.length === 0 && !log.error && <p className="hint">{action ? `No “${ACTION_WORDS[action]}” entries yet.` : 'Nothing recorded yet.'}</p>}
      <ol className="audit-list" data-testid="audit-list" aria-busy={!log.loaded}>
        {log.entries.map((e) => (
          <AuditRow key={e.id} entry={e} timeZone={timeZone} />
        ))}
      </ol>
      {log.cursor !== null && (
        <button ref={more} type="button" className="button button--small audit-more" data-testid="audit-more" disabled={log.loadingMore} onClick={() => void log.loadMore()}>
          {log.loadingMore ? 'Loading…' : 'Show older entries'}
        </button>
      )}
    </section>
  );
}

function AuditRow({ entry: e, timeZone }: { entry: AuditEntry; timeZone: string }) {
  const lines = detailLines(e.detail);
  return (
    <li className={`audit-entry${WATCHED_ACTIONS.has(e.action) ? ' audit-entry--watch' : ''}`} data-testid="audit-entry" data-action={e.action} data-entry-id={e.id}>
      <details className="audit-details">
        <summary className="audit-summary">
          <time className="audit-time" dateTime={new Date(e.at).toISOString()} title={fullTime(e.at, timeZone)}>
            {rowTime(e.at, timeZone)}
          </time>
          <span className="audit-who">{e.personName ?? '—'}</span>
          <span className="audit-action">{ACTION_WORDS[e.action]}</span>
          <span className="audit-what" data-testid="audit-summary">
            {e.summary}
          </span>
        </summary>
        <dl className="audit-detail" data-testid="audit-detail">
          <div className="audit-detail-line">
            <dt>When</dt>
            <dd>{fullTime(e.at, timeZone)}</dd>
          </div>
          {e.saleId !== null && (
            <div className="audit-detail-line">
              <dt>Sale</dt>
              <dd>#{e.saleId}</dd>
            </div>
          )}
          {e.shiftId !== null && (
            <div className="audit-detail-line">
              <dt>Shift</dt>
              <dd>#{e.shiftId}</dd>
            </div>
          )}
          {lines.map((l) => (
            <div key={l.key} className="audit-detail-line">
              <dt>{l.key}</dt>
              <dd className="mono">{l.value}</dd>
            </div>
          ))}
        </dl>
      </details>
    </li>
  );
}
