import './tunnel-fields.css';
import type { AppStatus, TunnelMode } from '../../../electron/shared/contract';
import { describedBy, FieldError } from './field-error';
import { InstallCloudflaredButton } from './install-cloudflared-button';
import type { SettingsForm } from './settings-form';
import { cloudflaredMissing, tunnelText } from '../common/tunnel-text';

interface TunnelFieldsProps {
  status: AppStatus | null;
  form: SettingsForm;
  /** A named tunnel's token is saved (the till never receives it): an empty token input keeps it. */
  tokenSaved: boolean;
  error: string | undefined;
  onChange(patch: Partial<SettingsForm>): void;
}

const KINDS: { kind: TunnelMode['kind']; label: string; hint: string }[] = [
  { kind: 'quick', label: 'Quick tunnel (automatic)', hint: 'Counter starts a free Cloudflare quick tunnel; its address changes at every start.' },
  { kind: 'named', label: 'Named Cloudflare tunnel', hint: 'Your own Cloudflare tunnel: paste its token and the public URL routed to it.' },
  { kind: 'fixed', label: 'Fixed public URL', hint: 'You already route a public address to Counter yourself.' },
  { kind: 'off', label: 'Off (polling only)', hint: 'No webhooks: Counter asks Code about each sale instead. Payments are still recorded.' },
];

/** The tunnel mode, with only the inputs the chosen mode needs. */
export function TunnelFields({ status, form, tokenSaved, error, onChange }: TunnelFieldsProps) {
  const chosen = KINDS.find((k) => k.kind === form.tunnelKind) ?? KINDS[0]!;
  const now = status ? tunnelText(status) : null;
  return (
    <fieldset className="field field--group">
      <legend className="field-label">Tunnel (how Code's webhooks reach this laptop)</legend>
      <label className="field-sublabel" htmlFor="settings-tunnel-kind">
        Tunnel mode
      </label>
      <select
        id="settings-tunnel-kind"
        data-testid="settings-tunnel-kind"
        value={form.tunnelKind}
        onChange={(e) => onChange({ tunnelKind: e.target.value as TunnelMode['kind'] })}
        {...describedBy('tunnel', error, 'tunnel-kind-hint')}
      >
        {KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      <p className="field-hint" id="tunnel-kind-hint">
        {chosen.hint}
      </p>
      {form.tunnelKind === 'named' && (
        <>
          <label className="field-sublabel" htmlFor="settings-tunnel-token">
            Tunnel token
          </label>
          <input
            id="settings-tunnel-token"
            data-testid="settings-tunnel-token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={form.tunnelToken}
            onChange={(e) => onChange({ tunnelToken: e.target.value })}
            {...describedBy('tunnel', error, 'tunnel-token-hint')}
          />
          <p className="field-hint" id="tunnel-token-hint" data-testid="tunnel-token-hint">
            {tokenSaved ? 'A token is saved; leave empty to keep it.' : 'Paste the token Cloudflare shows for this tunnel.'}
          </p>
        </>
      )}
      {(form.tunnelKind === 'named' || form.tunnelKind === 'fixed') && (
        <>
          <label className="field-sublabel" htmlFor="settings-tunnel-url">
            Public URL
          </label>
          <input
            id="settings-tunnel-url"
            data-testid="settings-tunnel-url"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://pay.example.com"
            value={form.tunnelUrl}
            onChange={(e) => onChange({ tunnelUrl: e.target.value })}
            {...describedBy('tunnel', error)}
          />
        </>
      )}
      <FieldError field="tunnel" message={error} />
      {now && (
        <p className={`tunnel-now tunnel-now--${now.tone}`} data-testid="settings-tunnel-now">
          <strong>Now:</strong> {now.text}
          {now.detail ? ` (${now.detail})` : ''}
        </p>
      )}
      {cloudflaredMissing(status) && <InstallCloudflaredButton />}
    </fieldset>
  );
}
