import './lock-screen.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SignInChoice, SignInResult } from '../../../electron/shared/contract';
import { ROLE_WORDS } from '../../../electron/shared/domain/people';
import { getCounterApi } from '../common/api';
import { PinPad } from './pin-pad';
import { pinReady, pinWithKey, pinWithoutLast, waitSecondsOf, waitText } from './pin-entry';

interface LockScreenProps {
  shopName: string | null;
  onSignedIn(result: SignInResult): void;
}

type Failure = { message: string; waitUntil: number | null };

/**
 * Over everything while the till is locked: who is at the till, then their
 * PIN on the pad or the keyboard (digits, Backspace, Escape clears, Enter
 * signs in). A modal dialog, so nothing behind it takes a click or a key; a
 * sale in progress carries on behind it (a payment still credits).
 */
export function LockScreen({ shopName, onSignedIn }: LockScreenProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [choices, setChoices] = useState<SignInChoice[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<SignInChoice | null>(null);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => {
      if (el?.open) el.close();
    };
  }, []);

  const load = useCallback(async () => {
    const answer = await getCounterApi().signInChoices(undefined);
    if (answer.ok) {
      setChoices(answer.value);
      setLoadError(null);
      // One person only (the owner, at first): no need to pick.
      if (answer.value.length === 1) setChosen(answer.value[0]!);
    } else setLoadError(answer.error.message);
  }, []);
  useEffect(() => void load(), [load]);

  // A wait after failed tries counts down on screen; the button stays off until it is over.
  const waitUntil = failure?.waitUntil ?? null;
  useEffect(() => {
    if (waitUntil === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [waitUntil]);
  const secondsLeft = waitUntil === null ? 0 : Math.max(0, Math.ceil((waitUntil - now) / 1000));
  const waiting = secondsLeft > 0;
  const message = failure ? (failure.waitUntil !== null ? (waiting ? waitText(failure.message, secondsLeft) : 'You can try again now.') : failure.message) : null;

  const choose = (choice: SignInChoice) => {
    setChosen(choice);
    setPin('');
    setFailure(null);
  };

  const submit = async () => {
    if (!chosen || busy || waiting || !pinReady(pin)) return;
    setBusy(true);
    const answer = await getCounterApi().signIn({ personId: chosen.id, pin });
    setBusy(false);
    setPin('');
    if (answer.ok) {
      setFailure(null);
      onSignedIn(answer.value);
      return;
    }
    const wait = waitSecondsOf(answer.error.message);
    setNow(Date.now());
    setFailure({ message: answer.error.message, waitUntil: wait === null ? null : Date.now() + wait * 1000 });
  };

  // The keyboard: digits, Backspace, Escape (clears), Enter (signs in).
  const latest = useRef({ submit, chosen, busy, ready: pinReady(pin) });
  latest.current = { submit, chosen, busy, ready: pinReady(pin) };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const { chosen: who, busy: sending } = latest.current;
      if (!who || sending) return;
      if (/^[0-9]$/.test(event.key)) setPin((p) => pinWithKey(p, event.key));
      else if (event.key === 'Backspace') setPin(pinWithoutLast);
      else if (event.key === 'Escape') setPin('');
      else if (event.key === 'Enter') {
        // With a PIN typed, Enter signs in wherever focus is (a name just clicked); else a focused button does its own job.
        if (!latest.current.ready && event.target instanceof Element && event.target.closest('button')) return;
        void latest.current.submit();
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <dialog
      ref={dialog}
      className="lock-screen"
      data-testid="lock-screen"
      aria-labelledby="lock-title"
      onCancel={(event) => event.preventDefault()}
    >
      <div className="lock-inner">
        <header className="lock-head">
          <p className="lock-shop">
            Counter{shopName ? <span className="lock-shop-name"> · {shopName}</span> : null}
          </p>
          <h1 id="lock-title" className="lock-title">
            The till is locked
          </h1>
        </header>
        <div className="lock-body">
          <section className="lock-people" aria-labelledby="lock-people-title">
            <h2 id="lock-people-title" className="lock-step">
              Who is at the till?
            </h2>
            {loadError && (
              <p className="error-note" role="alert">
                {loadError}{' '}
                <button type="button" className="button button--small" onClick={() => void load()}>
                  Try again
                </button>
              </p>
            )}
            {choices === null && !loadError && <p className="hint">Loading…</p>}
            <ul className="lock-choices">
              {choices?.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="lock-choice"
                    data-testid="sign-in-person"
                    data-person-id={c.id}
                    aria-pressed={chosen?.id === c.id}
                    onClick={() => choose(c)}
                  >
                    <span className="lock-choice-name">{c.name}</span>
                    <span className="lock-choice-role">{ROLE_WORDS[c.role]}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <section className="lock-pin" aria-labelledby="lock-pin-title">
            <h2 id="lock-pin-title" className="lock-step">
              {chosen ? `${chosen.name}, type your PIN` : 'Choose your name first'}
            </h2>
            <PinPad
              pin={pin}
              disabled={!chosen || busy}
              canSubmit={pinReady(pin) && !waiting}
              busy={busy}
              onDigit={(d) => setPin((p) => pinWithKey(p, d))}
              onBack={() => setPin(pinWithoutLast)}
              onSubmit={() => void submit()}
            />
            <p className={`lock-message${message ? ' lock-message--error' : ''}`} data-testid="sign-in-error" role={message ? 'alert' : undefined}>
              {message ?? (chosen ? 'Digits on the keyboard work too: Enter signs in, Esc clears.' : '')}
            </p>
          </section>
        </div>
      </div>
    </dialog>
  );
}
