import './payment-setup.css';
import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { useApiCall } from '../common/use-api-call';
import { ModalActions, ModalDialog, ModalError } from '../common/modal-dialog';
import { PinField } from '../common/pin-field';
import { draftFromSettings, needsLastFour, paymentSetupArgs, paymentSetupProblem, splitLastFour, draftAddress, type PaymentSetupDraft } from './payment-setup-form';

interface PaymentSetupProps {
  saved: Settings;
  onChanged(settings: Settings): void;
}

/**
 * Where payments go and whether they are real: shown here, changed only
 * through "Change deposit address / go live", which shows the old and the
 * new address, asks for the new one's last four characters and the owner's
 * PIN. The change and who made it go to the audit log; the next sign-in of
 * each person shows it.
 */
export function PaymentSetup({ saved, onChanged }: PaymentSetupProps) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <div className="field field--group payment-setup" data-testid="payment-setup">
      <p className="field-label">Payments</p>
      <dl className="payment-setup-facts">
        <div>
          <dt>Mode</dt>
          <dd data-testid="payment-mode">{saved.mode === 'live' ? 'Live: real payments' : 'Sandbox: test payments, no real money'}</dd>
        </div>
        <div>
          <dt>Deposit address</dt>
          <dd className="mono" data-testid="payment-address">
            {saved.depositAddress ?? 'none yet'}
          </dd>
        </div>
      </dl>
      <div className="payment-setup-actions">
        <button type="button" className="button button--small" data-testid="change-payment-setup" onClick={() => (setDone(null), setOpen(true))}>
          Change deposit address / go live…
        </button>
        {done && (
          <p className="payment-setup-done" role="status" data-testid="payment-setup-done">
            {done}
          </p>
        )}
      </div>
      <p className="field-hint">Changing where payments go takes your PIN; it is recorded, and everyone is told at their next sign-in.</p>
      {open && (
        <PaymentSetupDialog
          saved={saved}
          onClose={() => setOpen(false)}
          onChanged={(s) => {
            setOpen(false);
            setDone(s.mode === 'live' ? 'Saved: Counter takes live payments to the new address.' : 'Saved.');
            onChanged(s);
          }}
        />
      )}
    </div>
  );
}

function PaymentSetupDialog({ saved, onClose, onChanged }: { saved: Settings; onClose(): void; onChanged(s: Settings): void }) {
  const [draft, setDraft] = useState<PaymentSetupDraft>(() => draftFromSettings(saved));
  const { error, setError, busy, send } = useApiCall();
  const change = (patch: Partial<PaymentSetupDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setError(null);
  };
  const address = draftAddress(draft);
  const confirmAddress = needsLastFour(draft, saved);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problem = paymentSetupProblem(draft, saved);
    if (problem) return setError(problem);
    // A wrong PIN is typed again; the rest stays.
    await send(() => getCounterApi().changePaymentSetup(paymentSetupArgs(draft, saved)), onChanged, () => setDraft((d) => ({ ...d, pin: '' })));
  };

  return (
    <ModalDialog open title="Change deposit address / go live" testId="payment-setup-dialog" onClose={onClose} wide>
      <form className="modal-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="payment-compare">
          <section className="payment-side" aria-labelledby="payment-now-title">
            <h3 id="payment-now-title" className="payment-side-title">
              Now
            </h3>
            <p>{saved.mode === 'live' ? 'Live' : 'Sandbox'}</p>
            <p className="mono payment-address" data-testid="payment-old-address">
              {saved.depositAddress ? <AddressWithLastFour address={saved.depositAddress} /> : 'No deposit address'}
            </p>
          </section>
          <section className="payment-side payment-side--new" aria-labelledby="payment-new-title">
            <h3 id="payment-new-title" className="payment-side-title">
              New
            </h3>
            <label className="modal-label" htmlFor="payment-new-mode">
              Payments
            </label>
            <select id="payment-new-mode" data-testid="payment-new-mode" value={draft.mode} onChange={(e) => change({ mode: e.target.value as PaymentSetupDraft['mode'] })}>
              <option value="sandbox">Sandbox: test payments</option>
              <option value="live">Live: real payments</option>
            </select>
            <label className="modal-label" htmlFor="payment-new-address">
              Deposit address (from the Code app)
            </label>
            <input
              id="payment-new-address"
              data-testid="payment-new-address"
              className="input--mono"
              autoComplete="off"
              spellCheck={false}
              maxLength={100}
              value={draft.address}
              onChange={(e) => change({ address: e.target.value, lastFour: '' })}
            />
            {address && address !== saved.depositAddress && (
              <p className="mono payment-address" data-testid="payment-new-address-shown">
                <AddressWithLastFour address={address} />
              </p>
            )}
          </section>
        </div>
        {confirmAddress && (
          <div className="modal-field">
            <label className="modal-label" htmlFor="payment-last-four">
              The last four characters of the new address
            </label>
            <input
              id="payment-last-four"
              data-testid="payment-last-four"
              className="input--mono payment-last-four"
              autoComplete="off"
              spellCheck={false}
              maxLength={4}
              value={draft.lastFour}
              onChange={(e) => change({ lastFour: e.target.value })}
            />
            <p className="modal-hint">Check the whole address against the Code app, then type its last four characters to confirm: capitals count.</p>
          </div>
        )}
        <PinField id="payment-owner-pin" label="Your PIN" value={draft.pin} onChange={(pin) => change({ pin })} />
        <ModalError error={error} testId="payment-setup-error" />
        <ModalActions label={draft.mode === 'live' && saved.mode !== 'live' ? 'Go live' : 'Change'} busyLabel="Changing…" testId="payment-setup-save" busy={busy} onBack={onClose} />
      </form>
    </ModalDialog>
  );
}

function AddressWithLastFour({ address }: { address: string }) {
  const [head, tail] = splitLastFour(address);
  return (
    <>
      {head}
      <strong className="payment-last">{tail}</strong>
    </>
  );
}
