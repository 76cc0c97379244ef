import './settings-screen.css';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { AppStatus, SessionView, Settings } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { currencyDecimals } from '../../../electron/shared/domain/money';
import { describedBy, FieldError } from './field-error';
import { checkForm, fieldErrorsFrom, formFromSettings, MAX_LOCK_MINUTES, settingsPatch, SETTINGS_FIELDS, slotsOf, withCurrency, type FieldErrors, type SettingsField, type SettingsForm } from './settings-form';
import { CodePaymentFields } from './code-payment-fields';
import { CreateOwner } from './create-owner';
import { DisplayFields } from './display-fields';
import { PaymentSetup } from './payment-setup';
import { PeopleSection } from './people-section';
import { PrinterFields } from './printer-fields';
import { ShopDatabaseFields } from './shop-database-fields';
import { TipFields } from './tip-fields';
import { SupportFields } from './support-fields';
import { TunnelFields } from './tunnel-fields';

/** Common choices first; every currency Code takes is accepted by the main process. */
const CURRENCIES: [code: string, name: string][] = [
  ['usd', 'US dollar'],
  ['eur', 'Euro'],
  ['gbp', 'British pound'],
  ['cad', 'Canadian dollar'],
  ['aud', 'Australian dollar'],
  ['nzd', 'New Zealand dollar'],
  ['chf', 'Swiss franc'],
  ['jpy', 'Japanese yen'],
  ['mxn', 'Mexican peso'],
  ['brl', 'Brazilian real'],
  ['inr', 'Indian rupee'],
  ['sgd', 'Singapore dollar'],
  ['hkd', 'Hong Kong dollar'],
  ['sek', 'Swedish krona'],
  ['nok', 'Norwegian krone'],
  ['dkk', 'Danish krone'],
  ['pln', 'Polish złoty'],
  ['zar', 'South African rand'],
  ['kin', 'Kin'],
];

type Message = { tone: 'ok' | 'error' | 'info'; text: string } | null;

/** The first field a refused save names, and where focus was when Save was pressed. */
interface FocusRequest {
  field: SettingsField;
  from: Element | null;
}

interface SettingsScreenProps {
  active: boolean;
  status: AppStatus | null;
  session: SessionView | null;
}

/** Setup (no owner yet): "Create the owner" first. Then, for the owner, the settings. */
export function SettingsScreen({ active, status, session }: SettingsScreenProps) {
  if (!session || session.setup) {
    return (
      <section className="settings" aria-labelledby="settings-title">
        <h1 id="settings-title" tabIndex={-1}>
          Settings
        </h1>
        {session ? <CreateOwner /> : <p>Loading…</p>}
      </section>
    );
  }
  return <OwnerSettings active={active} status={status} />;
}

function OwnerSettings({ active, status }: Omit<SettingsScreenProps, 'session'>) {
  const api = getCounterApi();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<Message>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const dirty = form !== null && saved !== null && Object.keys(settingsPatch(form, saved)).length > 0;

  // Fresh settings each time the screen opens, unless the owner has unsaved edits
  // (also edits typed while the settings were being read).
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const load = useCallback(async () => {
    const answer = await api.getSettings(undefined);
    if (answer.ok) {
      setSaved(answer.value);
      if (!dirtyRef.current) setForm(formFromSettings(answer.value));
      setLoadError(null);
    } else {
      setLoadError(answer.error.message);
    }
  }, [api]);

  useEffect(() => {
    if (active && !dirtyRef.current) void load();
  }, [active, load]);

  const change = (patch: Partial<SettingsForm>) => {
    setForm((f) => (f ? { ...f, ...patch } : f));
    setMessage(null);
    // Editing a field clears its own message; the others stay until the next save.
    const touched = new Set<string>(slotsOf(Object.keys(patch)));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !touched.has(k))));
  };

  // A refused save puts focus on the first field it names, in the same commit
  // as the messages: at once, never at some later frame, which on a busy
  // machine can land in the middle of what the owner types next and send
  // their keystrokes to another field.
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  useLayoutEffect(() => {
    const formEl = formRef.current;
    if (!focusRequest || !formEl) return;
    const active = document.activeElement;
    // Already in a field that needs fixing (Enter pressed in it): stay there.
    if (active instanceof HTMLElement && formEl.contains(active) && active.getAttribute('aria-invalid') === 'true') return;
    // Moved on while the main process checked the settings: focus stays where the owner put it.
    if (active !== focusRequest.from && active !== null && active !== document.body) return;
    formEl.querySelector<HTMLElement>(`[aria-describedby~="field-error-${focusRequest.field}"]`)?.focus();
  }, [focusRequest]);

  const focusFirstError = (found: FieldErrors, from: Element | null) => {
    const field = SETTINGS_FIELDS.find((f) => found[f]);
    if (field) setFocusRequest({ field, from });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!form || !saved || saving) return;
    const focusedAtSave = document.activeElement;
    const patch = settingsPatch(form, saved);
    if (Object.keys(patch).length === 0) {
      setErrors({});
      setMessage({ tone: 'info', text: 'Nothing changed.' });
      return;
    }
    const local = checkForm(form, patch, saved);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setMessage({ tone: 'error', text: 'Not saved: check the highlighted fields.' });
      focusFirstError(local, focusedAtSave);
      return;
    }
    setSaving(true);
    setMessage(null);
    const answer = await api.updateSettings(patch);
    setSaving(false);
    if (answer.ok) {
      setSaved(answer.value);
      setForm(formFromSettings(answer.value));
      setErrors({});
      setMessage({ tone: 'ok', text: 'Settings saved.' });
    } else {
      const found = fieldErrorsFrom(answer.error.fields);
      setErrors(found);
      setMessage({ tone: 'error', text: `Not saved: ${answer.error.message}` });
      focusFirstError(found, focusedAtSave);
    }
  };

  if (!form || !saved) {
    return (
      <section className="settings" aria-labelledby="settings-title">
        <h1 id="settings-title" tabIndex={-1}>
          Settings
        </h1>
        {loadError ? (
          <div className="error-note" role="alert">
            {loadError}{' '}
            <button type="button" className="button button--small" onClick={() => void load()}>
              Try again
            </button>
          </div>
        ) : (
          <p>Loading settings…</p>
        )}
      </section>
    );
  }

  const currencies = CURRENCIES.some(([c]) => c === form.currency) ? CURRENCIES : [[form.currency, form.currency.toUpperCase()] as [string, string], ...CURRENCIES];

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title" tabIndex={-1}>
        Settings
      </h1>
      <div className="settings-top">
        <PaymentSetup
          saved={saved}
          onChanged={(next) => {
            setSaved(next);
            // Only what the dialog changed; edits in the form stay.
            setForm((f) => (f ? { ...f } : f));
          }}
        />
        <PeopleSection timeZone={status?.timeZone ?? 'UTC'} />
      </div>
      <form ref={formRef} className="settings-form" onSubmit={(e) => void save(e)} noValidate>
        <div className="settings-column">
          <div className="field">
            <label className="field-label" htmlFor="settings-currency">
              Currency
            </label>
            <select
              id="settings-currency"
              data-testid="settings-currency"
              value={form.currency}
              onChange={(e) => {
                const next = withCurrency(form, e.target.value, saved);
                change({ currency: next.currency, confirmAbove: next.confirmAbove });
              }}
              {...describedBy('currency', errors.currency)}
            >
              {currencies.map(([code, name]) => (
                <option key={code} value={code}>
                  {code.toUpperCase()} — {name}
                </option>
              ))}
            </select>
            <FieldError field="currency" message={errors.currency} />
          </div>

          <div className="field">
            <label className="field-label" htmlFor="settings-shop-name">
              Shop name
            </label>
            <input
              id="settings-shop-name"
              data-testid="settings-shop-name"
              maxLength={80}
              value={form.shopName}
              onChange={(e) => change({ shopName: e.target.value })}
              {...describedBy('shopName', errors.shopName)}
            />
            <FieldError field="shopName" message={errors.shopName} />
          </div>

          <div className="field">
            <label className="field-label" htmlFor="settings-till-name">
              This till's name
            </label>
            <input
              id="settings-till-name"
              data-testid="settings-till-name"
              autoComplete="off"
              value={form.tillName}
              onChange={(e) => change({ tillName: e.target.value })}
              {...describedBy('tillName', errors.tillName, 'till-name-hint')}
            />
            <p className="field-hint" id="till-name-hint">
              Tells this till apart from the shop's others in the shop view, like Front counter.
            </p>
            <FieldError field="tillName" message={errors.tillName} />
          </div>

          <div className="field">
            <label className="field-label" htmlFor="settings-lock-after">
              Lock the till after
            </label>
            <div className="field-amount">
              <input
                id="settings-lock-after"
                data-testid="settings-lock-after"
                className="input--amount input--minutes"
                inputMode="numeric"
                autoComplete="off"
                maxLength={3}
                value={form.lockAfterMinutes}
                onChange={(e) => change({ lockAfterMinutes: e.target.value })}
                {...describedBy('lockAfterMinutes', errors.lockAfterMinutes, 'lock-after-hint')}
              />
              <span className="field-amount-currency">minutes without use</span>
            </div>
            <p className="field-hint" id="lock-after-hint">
              Then whoever comes next signs in with their PIN. 0: only when someone presses Lock. At most {MAX_LOCK_MINUTES}.
            </p>
            <FieldError field="lockAfterMinutes" message={errors.lockAfterMinutes} />
          </div>

          <div className="field">
            <label className="field-label" htmlFor="settings-confirm-above">
              Large amount confirmation
            </label>
            <div className="field-amount">
              <input
                id="settings-confirm-above"
                data-testid="settings-confirm-above"
                className="input--amount"
                inputMode={currencyDecimals(form.currency) > 0 ? 'decimal' : 'numeric'}
                autoComplete="off"
                spellCheck={false}
                maxLength={14}
                value={form.confirmAbove}
                onChange={(e) => change({ confirmAbove: e.target.value })}
                {...describedBy('confirmAbove', errors.confirmAbove, 'confirm-above-hint')}
              />
              <span className="field-amount-currency">{form.currency.toUpperCase()}</span>
            </div>
            <p className="field-hint" id="confirm-above-hint">
              The till asks the cashier to confirm a charge above this amount, in the till's currency. 0 turns it off.
            </p>
            <FieldError field="confirmAbove" message={errors.confirmAbove} />
          </div>

          <div className="field">
            <label className="field-check">
              <input
                type="checkbox"
                data-testid="settings-receipt-details"
                checked={form.receiptDetails}
                onChange={(e) => change({ receiptDetails: e.target.checked })}
                {...describedBy('receiptDetails', errors.receiptDetails, 'receipt-details-hint')}
              />
              <span className="field-label">Receipts: show payment details (Kin amount, exchange rate, intent id)</span>
            </label>
            <p className="field-hint" id="receipt-details-hint">
              Off, a receipt says what the customer needs: the shop, date and time, the amount, paid with Code, the sale number.
            </p>
            <FieldError field="receiptDetails" message={errors.receiptDetails} />
          </div>
          <TipFields form={form} error={errors.tips} onChange={change} />
          <DisplayFields form={form} errors={errors} onChange={change} />
          {/* Here rather than under the printer: the two columns stay about as tall. */}
          <SupportFields logFile={status?.logFile ?? null} />
        </div>

        <div className="settings-column">
          <CodePaymentFields status={status} form={form} saved={saved} errors={errors} onChange={change} />
          <TunnelFields status={status} form={form} tokenSaved={saved.tunnel.kind === 'named' && saved.tunnel.tokenSaved} error={errors.tunnel} onChange={change} />
          <PrinterFields form={form} saved={saved} errors={errors} onChange={change} />
          <ShopDatabaseFields
            status={status}
            form={form}
            saved={saved}
            errors={errors}
            onChange={change}
            onHostChanged={(next) => {
              setSaved(next);
              // Hosting started or stopped: the address is the host's own now (or none); other edits stay.
              setForm((f) => (f ? { ...f, shopDatabaseUrl: next.shopDatabase.url ?? '', shopDatabasePassword: '' } : f));
            }}
          />
        </div>

        <div className="settings-actions">
          <button type="submit" className="button button--primary" data-testid="settings-save" disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
          {dirty && !saving && (
            <button type="button" className="button" onClick={() => (setForm(formFromSettings(saved)), setErrors({}), setMessage(null))}>
              Undo changes
            </button>
          )}
          <p
            className={`settings-message settings-message--${message?.tone ?? 'info'}`}
            data-testid="settings-message"
            role={message?.tone === 'error' ? 'alert' : 'status'}
          >
            {message?.text}
          </p>
        </div>
      </form>
    </section>
  );
}
