import './shop-database-fields.css';
import { useState } from 'react';
import type { AppStatus, Settings } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { shopDatabaseTestText, syncText } from '../common/sync-text';
import { describedBy, FieldError } from './field-error';
import { shopDatabaseUrlProblem, type FieldErrors, type SettingsForm } from './settings-form';
import { ShopHostPanel } from './shop-host-panel';

interface ShopDatabaseFieldsProps {
  status: AppStatus | null;
  form: SettingsForm;
  saved: Settings;
  errors: FieldErrors;
  onChange(patch: Partial<SettingsForm>): void;
  /** This till started or stopped hosting the shop database (saved at once, apart from the form). */
  onHostChanged(settings: Settings): void;
}

type TestResult = { tone: 'ok' | 'bad' | 'info'; text: string; where?: string } | null;

/**
 * The shop's PostgreSQL database (issue 16): its address, the password kept
 * apart (never shown: "saved" when one is), and Test connection with what is
 * typed. Saved with the rest of the form.
 */
export function ShopDatabaseFields({ status, form, saved, errors, onChange, onHostChanged }: ShopDatabaseFieldsProps) {
  const api = getCounterApi();
  const [result, setResult] = useState<TestResult>(null);
  const [testing, setTesting] = useState(false);
  const passwordSaved = saved.shopDatabase.passwordSaved && (form.shopDatabaseUrl.trim() || null) === saved.shopDatabase.url;
  const now = status ? syncText(status.sync) : null;

  const edit = (patch: Partial<SettingsForm>) => {
    setResult(null);
    onChange(patch);
  };

  const test = async () => {
    const url = form.shopDatabaseUrl.trim();
    const problem = url ? shopDatabaseUrlProblem(url) : 'Type the address first.';
    if (problem) {
      setResult({ tone: 'bad', text: problem });
      return;
    }
    setTesting(true);
    setResult({ tone: 'info', text: 'Connecting…' });
    const answer = await api.testShopDatabase(form.shopDatabasePassword ? { url, password: form.shopDatabasePassword } : { url });
    setTesting(false);
    if (answer.ok) setResult({ tone: 'ok', text: shopDatabaseTestText(answer.value), where: answer.value.where });
    else {
      const fields = Object.values(answer.error.fields ?? {});
      setResult({ tone: 'bad', text: fields.length > 0 ? `Not connected: ${fields.join(' ')}` : `Not connected: ${answer.error.message}` });
    }
  };

  const nowLine = now && (
    <p className={`shop-database-now shop-database-now--${now.tone}`} data-testid="settings-shop-database-now">
      <strong>Now:</strong> {now.text}
    </p>
  );

  // Hosting: this till's address is its own server's, not a field to type over.
  if (saved.shopDatabase.host) {
    return (
      <fieldset className="field field--group" data-testid="settings-shop-database">
        <legend className="field-label">Shop database (many tills, one shop)</legend>
        <ShopHostPanel saved={saved} onChanged={onHostChanged} />
        {nowLine}
      </fieldset>
    );
  }

  return (
    <fieldset className="field field--group" data-testid="settings-shop-database">
      <legend className="field-label">Shop database (many tills, one shop)</legend>
      <label className="field-sublabel" htmlFor="settings-shop-database-url">
        Address
      </label>
      <input
        id="settings-shop-database-url"
        data-testid="settings-shop-database-url"
        className="input--mono"
        autoComplete="off"
        spellCheck={false}
        placeholder="postgres://counter@shop-server:5432/counter"
        maxLength={500}
        value={form.shopDatabaseUrl}
        onChange={(e) => edit({ shopDatabaseUrl: e.target.value })}
        {...describedBy('shopDatabaseUrl', errors.shopDatabaseUrl, 'shop-database-url-hint')}
      />
      <p className="field-hint" id="shop-database-url-hint">
        The shop's PostgreSQL server: every till sends its sales there. Empty: this till keeps its sales to itself. Away from this computer it needs TLS (?sslmode=require).
      </p>
      <FieldError field="shopDatabaseUrl" message={errors.shopDatabaseUrl} />
      <label className="field-sublabel" htmlFor="settings-shop-database-password">
        Password
      </label>
      <input
        id="settings-shop-database-password"
        data-testid="settings-shop-database-password"
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        maxLength={200}
        placeholder={passwordSaved ? 'saved' : ''}
        value={form.shopDatabasePassword}
        onChange={(e) => edit({ shopDatabasePassword: e.target.value })}
        {...describedBy('shopDatabasePassword', errors.shopDatabasePassword, 'shop-database-password-hint')}
      />
      <p className="field-hint" id="shop-database-password-hint" data-testid="shop-database-password-hint">
        {passwordSaved
          ? `A password is saved${saved.shopDatabase.passwordEncrypted ? ', encrypted by this computer' : ''}; leave empty to keep it (it is used only with this same address).`
          : 'The database user’s password, if it has one. It is kept apart from the address and never shown again.'}
      </p>
      <FieldError field="shopDatabasePassword" message={errors.shopDatabasePassword} />
      <div className="shop-database-test">
        <button type="button" className="button button--small" data-testid="shop-database-test" disabled={testing} onClick={() => void test()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <p
          className={`shop-database-result shop-database-result--${result?.tone ?? 'info'}`}
          data-testid="shop-database-result"
          data-tone={result?.tone}
          role={result?.tone === 'bad' ? 'alert' : 'status'}
        >
          {result?.text}
          {result?.where && <span className="shop-database-where mono">{result.where}</span>}
        </p>
      </div>
      {nowLine}
      <ShopHostPanel saved={saved} onChanged={onHostChanged} />
    </fieldset>
  );
}
