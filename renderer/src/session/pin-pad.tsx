import './pin-pad.css';
import type { PointerEvent } from 'react';
import { PIN_MAX_DIGITS } from '../../../electron/shared/domain/people';
import { maskedPin } from './pin-entry';

interface PinPadProps {
  pin: string;
  disabled: boolean;
  /** Sign in may be pressed: the PIN is long enough and no wait is running. */
  canSubmit: boolean;
  busy: boolean;
  onDigit(digit: string): void;
  onBack(): void;
  onSubmit(): void;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

// A tap must not move focus onto a key: the next Enter on the keyboard signs in, it does not press that key again.
const keepFocus = (event: PointerEvent) => event.preventDefault();

/** The PIN so far as dots, and a pad of digits; the lock screen's keyboard does the same. */
export function PinPad({ pin, disabled, canSubmit, busy, onDigit, onBack, onSubmit }: PinPadProps) {
  return (
    <div className="pin-pad">
      <p className="pin-display" data-testid="pin-display" data-length={pin.length} aria-label={`${pin.length} of at most ${PIN_MAX_DIGITS} digits typed`}>
        <span className="pin-dots" aria-hidden="true">
          {maskedPin(pin) || '\u00a0'}
        </span>
      </p>
      <div className="pin-keys" role="group" aria-label="PIN keys">
        {DIGITS.map((d) => (
          <button key={d} type="button" className="pin-key" data-testid={`pin-key-${d}`} disabled={disabled} onPointerDown={keepFocus} onClick={() => onDigit(d)}>
            {d}
          </button>
        ))}
        <button type="button" className="pin-key pin-key--back" data-testid="pin-key-back" aria-label="Backspace" disabled={disabled} onPointerDown={keepFocus} onClick={onBack}>
          ⌫
        </button>
        <button type="button" className="pin-key" data-testid="pin-key-0" disabled={disabled} onPointerDown={keepFocus} onClick={() => onDigit('0')}>
          0
        </button>
        <button
          type="button"
          className="pin-key pin-key--go"
          data-testid="pin-submit"
          disabled={disabled || !canSubmit}
          aria-busy={busy}
          onPointerDown={keepFocus}
          onClick={onSubmit}
        >
          {busy ? '…' : 'Sign in'}
        </button>
      </div>
    </div>
  );
}
