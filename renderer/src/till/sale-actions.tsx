import './sale-actions.css';
import { SandboxControls } from './sandbox-controls';
import { TillError } from './till-error';
import type { TillBusy } from './till-state';

interface SaleActionsProps {
  sandbox: boolean;
  busy: TillBusy;
  error: string | null;
  onCancel(): void;
  onSimulatePayment(): void;
  onSimulateCancel(): void;
}

/** The ways out of a waiting sale: cancel, or in sandbox mode, play the customer. */
export function SaleActions({ sandbox, busy, error, onCancel, onSimulatePayment, onSimulateCancel }: SaleActionsProps) {
  return (
    <div className="sale-actions">
      <TillError message={error} />
      {sandbox && <SandboxControls busy={busy} onSimulatePayment={onSimulatePayment} onSimulateCancel={onSimulateCancel} />}
      <button type="button" className="button button--cancel" data-testid="cancel-sale" disabled={busy !== null} onClick={onCancel}>
        {busy === 'cancel' ? 'Cancelling…' : 'Cancel sale'} <span className="key-hint">Esc</span>
      </button>
    </div>
  );
}
