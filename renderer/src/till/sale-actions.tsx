import './sale-actions.css';
import type { ReactNode } from 'react';
import { SandboxControls } from './sandbox-controls';
import { TillError } from './till-error';
import type { TenderForm, TillBusy } from './till-state';

interface SaleActionsProps {
  /** In sandbox mode with a Code payment waiting: the stand-ins for the customer's phone. */
  sandbox: boolean;
  /** Code cannot take the rest: Cash… is the way forward, and looks it. */
  suggestCash: boolean;
  busy: TillBusy;
  /** Shown here unless a tender form shows it. */
  error: string | null;
  form: TenderForm;
  /** "Ask for a Code payment" is offered: none waits, and Code can take the rest. */
  canRequestCode: boolean;
  /** Why Cancel is disabled (money is already taken), or null. */
  cancelBlocked: string | null;
  /** The sale waits for its tip: no tender is taken before the total is known (the custom tip form, if open, is the child). */
  awaitingTip: boolean;
  onForm(form: TenderForm): void;
  onRequestCode(): void;
  onCancel(): void;
  onSimulatePayment(): void;
  onSimulateCancel(): void;
  /** The open tender form, shown under its button in place of the sandbox controls and Cancel; while the tip is chosen, the custom tip form above Cancel. */
  children?: ReactNode;
}

/** Beside an open sale: the other ways to pay the rest, the sandbox's customer, and Cancel. */
export function SaleActions(props: SaleActionsProps) {
  const { sandbox, busy, error, form, canRequestCode, cancelBlocked } = props;
  if (props.awaitingTip) {
    // The tip panel shows the refusal of a choice; Cancel stays (a sale is left through Cancel, which the ledger records).
    return (
      <div className="sale-actions" data-testid="sale-actions-tip">
        {props.children ?? (
          <p className="note sale-actions-tip-note" data-testid="tenders-after-tip">
            Cash and other tenders are offered once the tip is chosen.
          </p>
        )}
        <CancelButton busy={busy} cancelBlocked={cancelBlocked} onCancel={props.onCancel} />
      </div>
    );
  }
  return (
    <div className="sale-actions">
      {form === null && <TillError message={error} />}
      <div className="tender-buttons" role="group" aria-label="Take the rest another way">
        <button
          type="button"
          className={`button button--tender${props.suggestCash && form === null ? ' button--primary' : ''}`}
          data-testid="open-cash"
          aria-expanded={form === 'cash'}
          disabled={busy !== null}
          onClick={() => props.onForm(form === 'cash' ? null : 'cash')}
        >
          Cash…
        </button>
        <button
          type="button"
          className="button button--tender"
          data-testid="open-other"
          aria-expanded={form === 'other'}
          disabled={busy !== null}
          onClick={() => props.onForm(form === 'other' ? null : 'other')}
        >
          Other tender…
        </button>
        {canRequestCode && (
          <button type="button" className="button button--tender button--tender-code" data-testid="request-code" disabled={busy !== null} onClick={props.onRequestCode}>
            {busy === 'request-code' ? 'Asking Code…' : 'Ask for a Code payment'}
          </button>
        )}
      </div>
      {form !== null ? (
        props.children
      ) : (
        <>
          {sandbox && <SandboxControls busy={busy} onSimulatePayment={props.onSimulatePayment} onSimulateCancel={props.onSimulateCancel} />}
          <CancelButton busy={busy} cancelBlocked={cancelBlocked} onCancel={props.onCancel} />
        </>
      )}
    </div>
  );
}

function CancelButton({ busy, cancelBlocked, onCancel }: { busy: TillBusy; cancelBlocked: string | null; onCancel(): void }) {
  return (
    <>
      <button
        type="button"
        className="button button--cancel"
        data-testid="cancel-sale"
        disabled={busy !== null || cancelBlocked !== null}
        aria-describedby={cancelBlocked ? 'cancel-blocked' : undefined}
        onClick={onCancel}
      >
        {busy === 'cancel' ? 'Cancelling…' : 'Cancel sale'} {cancelBlocked === null && <span className="key-hint">Esc</span>}
      </button>
      {cancelBlocked && (
        <p className="hint cancel-blocked" id="cancel-blocked" data-testid="cancel-blocked">
          {cancelBlocked}
        </p>
      )}
    </>
  );
}
