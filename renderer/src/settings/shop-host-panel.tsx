import './shop-host-panel.css';
import { useCallback, useEffect, useState } from 'react';
import type { Settings, ShopHostView } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';

interface ShopHostPanelProps {
  saved: Settings;
  onChanged(settings: Settings): void;
}

/** The port a hosted shop database listens on unless the owner picks another: beside PostgreSQL's own 5432, so a server already on the laptop is left alone. */
export const DEFAULT_HOST_PORT = 5433;
/** How often the panel asks after a server that is still starting. */
const STARTING_POLL_MS = 1_000;

/**
 * A shop with no server (issue 16): this till hosts the shop database, its
 * own PostgreSQL on the shop's network with TLS and a generated password,
 * and the other tills type the address and password shown here. Acts at
 * once (not with the form's Save): starting a server is not a field edit.
 */
export function ShopHostPanel({ saved, onChanged }: ShopHostPanelProps) {
  const api = getCounterApi();
  const hosting = saved.shopDatabase.host;
  const [host, setHost] = useState<ShopHostView | null>(null);
  const [port, setPort] = useState(String(DEFAULT_HOST_PORT));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showPassword, setShowPassword] = useState(false);
  const [confirmStop, setConfirmStop] = useState(false);

  const read = useCallback(async () => {
    const answer = await api.shopHost(undefined);
    if (answer.ok) setHost(answer.value);
    else setError(answer.error.message);
  }, [api]);

  useEffect(() => {
    if (!hosting) {
      setHost(null);
      return;
    }
    void read();
  }, [hosting, read]);

  // A server still starting is asked after again until it runs (or says why not).
  useEffect(() => {
    if (host?.state !== 'starting') return;
    const timer = setTimeout(() => void read(), STARTING_POLL_MS);
    return () => clearTimeout(timer);
  }, [host, read]);

  const change = async (next: number | null) => {
    setBusy(true);
    setError(null);
    const answer = await api.hostShopDatabase({ port: next });
    setBusy(false);
    setConfirmStop(false);
    setShowPassword(false);
    if (answer.ok) onChanged(answer.value);
    else setError(Object.values(answer.error.fields ?? {}).join(' ') || answer.error.message);
  };

  const start = () => {
    const n = Number(port.trim());
    if (!/^\d{4,5}$/.test(port.trim()) || n < 1024 || n > 65535) {
      setError('The port is a whole number from 1024 to 65535 (5433 unless something else uses it).');
      return;
    }
    void change(n);
  };

  if (!hosting) {
    return (
      <div className="shop-host" data-testid="shop-host">
        <p className="field-sublabel">No server in the shop?</p>
        <p className="field-hint" id="shop-host-hint">
          This till can host the shop database itself: the other tills then connect to it over the shop’s network (TLS, a generated password). Keep this
          till switched on while the others sell; they keep their sales until it is back.
        </p>
        <div className="shop-host-start">
          <label className="field-sublabel" htmlFor="shop-host-port">
            Port
          </label>
          <input
            id="shop-host-port"
            data-testid="shop-host-port"
            className="input--amount input--port"
            inputMode="numeric"
            autoComplete="off"
            maxLength={5}
            value={port}
            onChange={(e) => (setPort(e.target.value), setError(null))}
            aria-describedby="shop-host-hint"
          />
          <button type="button" className="button button--small" data-testid="shop-host-start" disabled={busy} onClick={start}>
            {busy ? 'Starting…' : 'Host the shop database on this till'}
          </button>
        </div>
        {error && (
          <p className="error-note" role="alert" data-testid="shop-host-error">
            {error}
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="shop-host shop-host--on" data-testid="shop-host">
      <p className="field-sublabel">This till hosts the shop database (port {hosting.port})</p>
      <p className="shop-host-state" data-testid="shop-host-state" role="status">
        {host === null ? 'Reading…' : host.state === 'running' ? 'Running: the other tills can connect.' : host.state === 'starting' ? 'Starting…' : `Not running: ${host.error ?? 'unknown reason'}`}
      </p>
      {host?.joinUrl && (
        <dl className="shop-host-join">
          <div>
            <dt>On each other till, Address</dt>
            <dd className="mono" data-testid="shop-host-join-url">
              {host.joinUrl}
            </dd>
          </div>
          <div>
            <dt>Password</dt>
            <dd className="mono" data-testid="shop-host-password">
              {showPassword ? host.password : '••••••••••••'}{' '}
              <button type="button" className="button button--small" data-testid="shop-host-show-password" onClick={() => setShowPassword((s) => !s)}>
                {showPassword ? 'Hide' : 'Show'}
              </button>
            </dd>
          </div>
        </dl>
      )}
      <p className="field-hint">The address carries the certificate’s fingerprint: the other tills connect only to this till’s server, never to one pretending to be it.</p>
      {confirmStop ? (
        <div className="shop-host-confirm" role="group" aria-label="Stop hosting">
          <p>Stop hosting? The other tills stop sending sales until another database is set (they keep them meanwhile). The data stays on this till.</p>
          <button type="button" className="button button--small" data-testid="shop-host-stop-confirm" disabled={busy} onClick={() => void change(null)}>
            {busy ? 'Stopping…' : 'Stop hosting'}
          </button>
          <button type="button" className="button button--small" onClick={() => setConfirmStop(false)}>
            Keep hosting
          </button>
        </div>
      ) : (
        <button type="button" className="button button--small" data-testid="shop-host-stop" onClick={() => setConfirmStop(true)}>
          Stop hosting…
        </button>
      )}
      {error && (
        <p className="error-note" role="alert" data-testid="shop-host-error">
          {error}
        </p>
      )}
    </div>
  );
}
