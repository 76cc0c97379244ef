import './sales-filters.css';
import type { FormEvent } from 'react';
import type { FilterDraft, LogMode } from './filter-draft';
import type { SaleStatus } from '../../../electron/shared/contract';
import { SALE_STATUSES } from '../../../electron/shared/domain/sale';
import { SEARCH_HINT } from '../../../electron/shared/domain/sales-filter';
import { STATUS_LABELS } from '../common/sale-labels';

interface SalesFiltersProps {
  draft: FilterDraft;
  /** The draft differs from what the log shows: Apply is highlighted. */
  changed: boolean;
  busy: boolean;
  error: string | null;
  onChange(patch: Partial<FilterDraft>): void;
  onApply(): void;
}

/** "Search for a sale number (#52), …": the core's own words for what the box takes. */
const SEARCH_TITLE = `${SEARCH_HINT.charAt(0).toUpperCase()}${SEARCH_HINT.slice(1)}.`;

const MODE_OPTIONS: [LogMode, string][] = [
  ['live', 'Live'],
  ['sandbox', 'Sandbox'],
  ['all', 'All'],
];

/** Date range, statuses, live/sandbox and search; a form, so Enter in any field applies it. */
export function SalesFilters({ draft, changed, busy, error, onChange, onApply }: SalesFiltersProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply();
  };
  const toggle = (status: SaleStatus, on: boolean) =>
    onChange({ statuses: on ? SALE_STATUSES.filter((s) => s === status || draft.statuses.includes(s)) : draft.statuses.filter((s) => s !== status) });

  return (
    <form className="log-filters" aria-label="Filter sales" onSubmit={submit} noValidate>
      <div className="log-filter-fields">
        <label className="log-field">
          <span className="log-field-label">From</span>
          <input type="date" data-testid="log-from" value={draft.from} max={draft.to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
        </label>
        <label className="log-field">
          <span className="log-field-label">To</span>
          <input type="date" data-testid="log-to" value={draft.to} min={draft.from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
        </label>
        <fieldset className="log-field log-statuses">
          <legend className="log-field-label">Status</legend>
          <div className="log-status-options">
            {SALE_STATUSES.map((status) => (
              <label key={status} className="log-check">
                <input
                  type="checkbox"
                  data-testid={`log-status-${status}`}
                  checked={draft.statuses.includes(status)}
                  onChange={(e) => toggle(status, e.target.checked)}
                />
                {STATUS_LABELS[status]}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="log-field">
          <span className="log-field-label">Mode</span>
          <select data-testid="log-mode" value={draft.mode} onChange={(e) => onChange({ mode: e.target.value as LogMode })}>
            {MODE_OPTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="log-field log-field--search">
          <span className="log-field-label">Search</span>
          <input
            type="search"
            data-testid="log-search"
            className="input--mono"
            placeholder="#52, 12.50"
            title={SEARCH_TITLE}
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            value={draft.search}
            aria-describedby="log-search-hint log-error"
            onChange={(e) => onChange({ search: e.target.value })}
          />
        </label>
        <span id="log-search-hint" className="visually-hidden">
          {SEARCH_TITLE}
        </span>
        <button type="submit" className={`button ${changed ? 'button--primary' : ''} log-apply`} data-testid="log-apply" aria-busy={busy}>
          Apply
        </button>
      </div>
      <p id="log-error" className="log-error" data-testid="log-error" role="alert" hidden={!error}>
        {error}
      </p>
    </form>
  );
}
