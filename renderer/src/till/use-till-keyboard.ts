import { useEffect, useLayoutEffect, useRef } from 'react';
import { entryKeyOf, type EntryKey } from './amount-entry';

export interface TillKeys {
  /** A digit or the decimal separator ("." or ","). */
  key(key: EntryKey): void;
  back(): void;
  /** Delete: clears the amount. */
  clear(): void;
  /** Escape: clears the amount, goes back from the large-amount question, cancels the waiting sale, or leaves an ended one. */
  escape(): void;
  /** Enter: charges (or confirms a large amount), or starts the next sale after an ended one. */
  enter(): void;
  /** Any other single letter (the tip choice's N and C); true when the till used it. */
  letter?(key: string): boolean;
}

/** Controls that handle keys themselves: typing into them must never ring up a sale. */
const TEXT_ENTRY = 'input, textarea, select, [contenteditable=""], [contenteditable="true"]';
/** Enter and Space on these activate them natively; handling the key here too would act twice. */
const ACTIVATABLE = 'button, a[href], [role="button"], summary';

/** The till's keyboard: digits, the separator, Backspace, Delete, Escape, Enter (and a few letters), anywhere on the till screen. */
export function useTillKeyboard(active: boolean, keys: TillKeys): void {
  const latest = useRef(keys);
  useLayoutEffect(() => {
    latest.current = keys;
  });

  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest(TEXT_ENTRY)) return;
      const k = latest.current;
      const entryKey = entryKeyOf(event.key);
      if (entryKey) k.key(entryKey);
      else if (event.key === 'Backspace') k.back();
      else if (event.key === 'Delete') k.clear();
      else if (event.key === 'Escape') k.escape();
      else if (event.key === 'Enter') {
        // A held Enter must not charge, then confirm, on its own.
        if (event.repeat) {
          event.preventDefault();
          return;
        }
        if (target?.closest(ACTIVATABLE)) return;
        k.enter();
      } else if (!(/^[a-z]$/i.test(event.key) && k.letter?.(event.key))) return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [active]);
}
