import './keypad.css';
import type { PointerEvent } from 'react';
import type { EntryKey } from './amount-entry';

interface KeypadProps {
  disabled: boolean;
  /** The currency has cents: a separator key; without minor units (JPY), a "00" key instead. */
  decimals: boolean;
  onKey(key: EntryKey): void;
  onBack(): void;
  onClear(): void;
}

const DIGIT_ROWS: EntryKey[][] = [
  ['7', '8', '9'],
  ['4', '5', '6'],
  ['1', '2', '3'],
];

/** The separator as the cashier's locale writes it (the till reads "." and "," alike). */
const SEPARATOR_LABEL = new Intl.NumberFormat().formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';

// A click must not move focus onto the key: the cashier's next Enter would
// press that key again instead of charging. Tabbing to a key still works.
const keepFocus = (event: PointerEvent) => event.preventDefault();

/** The on-screen keypad; keyboard entry does the same through useTillKeyboard. */
export function Keypad({ disabled, decimals, onKey, onBack, onClear }: KeypadProps) {
  const keys: EntryKey[] = [...DIGIT_ROWS.flat(), decimals ? '.' : '00', '0'];
  return (
    <div className="keypad" role="group" aria-label="Keypad">
      {keys.map((key) => (
        <button
          key={key}
          type="button"
          className="key"
          data-testid={key === '.' ? 'key-separator' : `key-${key}`}
          aria-label={key === '.' ? 'Decimal point' : undefined}
          disabled={disabled}
          onPointerDown={keepFocus}
          onClick={() => onKey(key)}
        >
          {key === '.' ? SEPARATOR_LABEL : key}
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
