import './modal-dialog.css';
import type { ReactNode } from 'react';
import { useModalDialog } from './use-modal-dialog';

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
  const dialog = useModalDialog(open);
  const titleId = `${testId}-title`;

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

interface ModalActionsProps {
  /** The primary button's words, and what it says while its call is under way. */
  label: string;
  busyLabel?: string;
  testId: string;
  busy?: boolean;
  /** A confirming step's button (focused when the step shows); without it the primary button submits the dialog's form. */
  onConfirm?(): void;
  /** Cancel, or Go back from a confirming step. */
  backLabel?: string;
  onBack(): void;
}

/** A dialog's answers: the primary one first, then Cancel (or Go back). */
export function ModalActions({ label, busyLabel, testId, busy = false, onConfirm, backLabel = 'Cancel', onBack }: ModalActionsProps) {
  return (
    <div className="modal-actions">
      {onConfirm ? (
        <button type="button" className="button button--primary" data-testid={testId} data-autofocus disabled={busy} onClick={onConfirm}>
          {busy && busyLabel ? busyLabel : label}
        </button>
      ) : (
        <button type="submit" className="button button--primary" data-testid={testId} disabled={busy}>
          {busy && busyLabel ? busyLabel : label}
        </button>
      )}
      <button type="button" className="button" onClick={onBack}>
        {backLabel}
      </button>
    </div>
  );
}

/** What went wrong in a dialog, read out at once; nothing when nothing did. */
export function ModalError({ error, testId }: { error: string | null; testId: string }) {
  return error ? (
    <p className="modal-error" role="alert" data-testid={testId}>
      {error}
    </p>
  ) : null;
}
