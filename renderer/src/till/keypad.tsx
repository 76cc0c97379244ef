import type { PointerEvent } from 'react';

interface KeypadProps {
  disabled: boolean;
  onDigits(digits: string): void;
  onBack(): void;
  onClear(): void;
}

const DIGIT_ROWS = [
  ['7', '8', '9'],
  ['4', '5', '6'],
  ['1', '2', '3'],
  ['00', '0'],
];

// A click must not move focus onto the key: the cashier's next Enter would
// press that key again instead of charging. Tabbing to a key still works.
const keepFocus = (event: PointerEvent) => event.preventDefault();

/** The on-screen keypad; keyboard entry does the same through useTillKeyboard. */
export function Keypad({ disabled, onDigits, onBack, onClear }: KeypadProps) {
  return (
    <div className="keypad" role="group" aria-label="Keypad">
      {DIGIT_ROWS.flat().map((digits) => (
        <button key={digits} type="button" className="key" data-testid={`key-${digits}`} disabled={disabled} onPointerDown={keepFocus} onClick={() => onDigits(digits)}>
          {digits}
        </button>
      ))}
      <button type="button" className="key key--back" data-testid="key-back" aria-label="Backspace" disabled={disabled} onPointerDown={keepFocus} onClick={onBack}>
        ⌫
      </button>
      <button type="button" className="key key--clear" data-testid="key-clear" disabled={disabled} onPointerDown={keepFocus} onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
