import './code-payment-fields.css';
import { useState } from 'react';
import type { AppStatus, RailHealth, Settings } from '../../../electron/shared/contract';
import { currencyDecimals, formatMoney } from '../../../electron/shared/domain/money';
import { railHealthText } from '../../../electron/shared/domain/rail';
import { getCounterApi } from '../common/api';
import { fullTime } from '../common/shop-time';
import { describedBy, FieldError } from './field-error';
import { maximumSource, withCodeTable, type FieldErrors, type SettingsForm } from './settings-form';

interface CodePaymentFieldsProps {
  status: AppStatus | null;
  form: SettingsForm;
  saved: Settings;
  errors: FieldErrors;
  onChange(patch: Partial<SettingsForm>): void;
}

/** The newer of two health readings (the status pushes one; "Check now" answers one). */
function newer(a: RailHealth | null, b: RailHealth | null): RailHealth | null {
  if (!a || !b) return a ?? b;
  return (b.checkedAt ?? 0) > (a.checkedAt ?? 0) ? b : a;
}

/**
 * Code payments: whether Code's payment service answers now (with "Check
 * now"), the largest single Code payment in the shop's currency (a sale above
 * it is taken as several), and in sandbox mode a switch that makes the
 * sandbox answer as Code without its payment service, to rehearse an outage.
 */
export function CodePaymentFields({ status, form, saved, errors, onChange }: CodePaymentFieldsProps) {
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState<RailHealth | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const health = newer(status?.rail ?? null, checked);
  const timeZone = status?.timeZone ?? 'UTC';
  const sandbox = saved.mode === 'sandbox';
  const currencyChanged = form.currency !== saved.currency;
  const code = saved.currency.toUpperCase();

  const check = async () => {
    setChecking(true);
    setCheckError(null);
    const answer = await getCounterApi().checkRail(undefined);
    setChecking(false);
    if (answer.ok) setChecked(answer.value);
    else setCheckError(answer.error.message);
  };

  const tone = health?.state === 'available' ? 'ok' : health?.state === 'unavailable' ? 'bad' : 'warn';
  return (
    <fieldset className="field field--group" data-testid="settings-code-payments">
      <legend className="field-label">Code payments</legend>
      <div className="rail-health">
        <p className={`rail-line rail-line--${tone}`} data-testid="settings-rail" data-state={health?.state ?? 'unknown'} role="status">
          {health ? railHealthText(health, sandbox) : 'Code payments: not known yet'}
        </p>
        <button type="button" className="button button--small" data-testid="check-rail" disabled={checking} aria-busy={checking} onClick={() => void check()}>
          {checking ? 'Checking…' : 'Check now'}
        </button>
      </div>
      <p className="field-hint" data-testid="settings-rail-detail">
        {health?.state === 'unavailable' && `${health.detail}. `}
        {health?.checkedAt ? `Checked ${fullTime(health.checkedAt, timeZone)}. ` : 'Not checked yet. '}
        {health?.state === 'unavailable' ? 'The till takes cash and other tenders meanwhile.' : 'Counter checks at start, hourly, and after a failed request.'}
      </p>
      {checkError && (
        <p className="error-note" role="alert">
          {checkError}
        </p>
      )}

      <label className="field-sublabel" htmlFor="settings-code-maximum">
        Largest single Code payment
      </label>
      <div className="field-amount">
        <input
          id="settings-code-maximum"
          data-testid="settings-code-maximum"
          className="input--amount"
          inputMode={currencyDecimals(saved.currency) > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          spellCheck={false}
          maxLength={14}
          disabled={currencyChanged}
          value={form.codeMaximum}
          onChange={(e) => onChange({ codeMaximum: e.target.value, codeMaximumTable: false })}
          {...describedBy('codeMaximum', errors.codeMaximum, 'code-maximum-hint')}
        />
        <span className="field-amount-currency">{code}</span>
        {saved.codeMaximum.source !== 'code-table' && !form.codeMaximumTable && !currencyChanged && (
          <button type="button" className="button button--small" data-testid="code-maximum-reset" onClick={() => onChange(withCodeTable(form, saved))}>
            Use Code's table
          </button>
        )}
      </div>
      <p className="field-hint" id="code-maximum-hint" data-testid="code-maximum-source">
        {currencyChanged
          ? `Save the new currency first: the maximum is set per currency.`
          : form.codeMaximumTable
            ? `Code's table: ${formatMoney(saved.codeMaximum.tableAmount, saved.currency)} (saved with the settings).`
            : maximumSource(saved, timeZone)}{' '}
        A sale above it is taken as several Code payments of at least {formatMoney(saved.codeMaximum.minimum, saved.currency)}.
      </p>
      <FieldError field="codeMaximum" message={errors.codeMaximum} />

      {sandbox && (
        <>
          <label className="field-check rail-switch">
            <input
              type="checkbox"
              data-testid="settings-sandbox-outage"
              checked={!form.sandboxPaymentService}
              onChange={(e) => onChange({ sandboxPaymentService: !e.target.checked })}
              {...describedBy('sandboxPaymentService', errors.sandboxPaymentService, 'sandbox-outage-hint')}
            />
            <span className="field-label">Sandbox answers as Code without its payment service</span>
          </label>
          <p className="field-hint" id="sandbox-outage-hint">
            Rehearses an outage: Code payments become unavailable and the till offers cash and other tenders.
          </p>
          <FieldError field="sandboxPaymentService" message={errors.sandboxPaymentService} />
        </>
      )}
    </fieldset>
  );
}
