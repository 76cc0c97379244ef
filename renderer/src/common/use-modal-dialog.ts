import { useEffect, useRef } from 'react';

/**
 * A <dialog> shown modal while `open` (nothing behind it takes a click or a
 * key, the till's keyboard included) and closed when not. On opening, focus
 * goes to its first field, or else to what is marked `data-autofocus`.
 */
export function useModalDialog(open: boolean) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      el.showModal();
      el.querySelector<HTMLElement>('input, select, textarea, [data-autofocus]')?.focus();
    } else if (!open && el.open) {
      el.close();
    }
  }, [open]);
  return dialog;
}
