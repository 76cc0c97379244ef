import './create-owner.css';
import { useState, type FormEvent } from 'react';
import { MAX_PERSON_NAME } from '../../../electron/shared/domain/people';
import { getCounterApi } from '../common/api';
import { useApiCall } from '../common/use-api-call';
import { newPinProblem } from '../common/new-pin';
import { PinField } from '../common/pin-field';

/**
 * Setup (no owner yet): the first step of changing any setting or going
 * live. The owner is signed in at once; from then on everyone signs in with
 * a PIN and roles apply, for good.
 */
export function CreateOwner() {
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const { error, setError, busy, send } = useApiCall();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setError('Give your name: the lock screen and the records show it.');
    const problem = newPinProblem(pin, again);
    if (problem) return setError(problem);
    // Signed in: the session event turns this screen into the settings.
    await send(() => getCounterApi().createOwner({ name: name.trim(), pin }), () => {});
  };

  return (
    <form className="create-owner" data-testid="create-owner" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-owner-title">
      <h2 id="create-owner-title" className="create-owner-title">
        Create the owner
      </h2>
      <p>
        Counter takes sandbox (test) payments with nobody signed in. Before you change a setting or go live, create the owner: you, with a PIN only
        you know.
      </p>
      <ul className="create-owner-list">
        <li>From then on the till locks when idle, and everyone signs in with their own PIN.</li>
        <li>You add cashiers and managers; sales, refunds and shifts record who did them.</li>
        <li>Changing where payments go takes your PIN, and is recorded.</li>
      </ul>
      <div className="create-owner-fields">
        <div className="pin-field">
          <label className="pin-field-label" htmlFor="owner-name">
            Your name
          </label>
          <input id="owner-name" data-testid="owner-name" autoComplete="off" maxLength={MAX_PERSON_NAME} value={name} onChange={(e) => (setName(e.target.value), setError(null))} />
        </div>
        <PinField id="owner-pin" label="PIN (4 to 8 digits)" value={pin} onChange={(v) => (setPin(v), setError(null))} />
        <PinField id="owner-pin-again" label="PIN again" value={again} onChange={(v) => (setAgain(v), setError(null))} />
      </div>
      <p className="hint">Not one digit repeated, nor a run like 1234. Keep it to yourself: it unlocks every setting.</p>
      {error && (
        <p className="error-note" role="alert" data-testid="create-owner-error">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="button button--primary" data-testid="create-owner-save" disabled={busy}>
          {busy ? 'Creating…' : 'Create the owner'}
        </button>
      </div>
    </form>
  );
}
