import './modal-dialog.css';
import { useEffect, useRef, type ReactNode } from 'react';

interface ModalDialogProps {
  open: boolean;
  title: string;
  testId: string;
  /** Escape or the Close button; the dialog is closed by its owner setting `open` false. */
  onClose(): void;
  children: ReactNode;
  /** Wider for a dialog with two columns (the deposit address change). */
  wide?: boolean;
}

/**
 * A modal <dialog>: nothing behind it takes a click or a key (the till's
 * keyboard included), focus goes to its first field, Escape closes it.
 */
export function ModalDialog({ open, title, testId, onClose, children, wide = false }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = `${testId}-title`;

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

  return (
    <dialog
      ref={dialog}
      className={`modal${wide ? ' modal--wide' : ''}`}
      data-testid={testId}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <h2 id={titleId} className="modal-title">
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  );
}
