import './sandbox-controls.css';
import type { TillBusy } from './till-state';

interface SandboxControlsProps {
  busy: TillBusy;
  onSimulatePayment(): void;
  onSimulateCancel(): void;
}

/** Stand-ins for the customer's phone, in sandbox mode only (SPEC §4.5): they act on the Code payment waiting now. */
export function SandboxControls({ busy, onSimulatePayment, onSimulateCancel }: SandboxControlsProps) {
  return (
    <div className="sandbox-controls" role="group" aria-label="Sandbox: act as the customer">
      <p className="sandbox-controls-title">Sandbox: act as the customer</p>
      <div className="button-row">
        <button type="button" className="button button--sandbox" data-testid="simulate-payment" disabled={busy !== null} onClick={onSimulatePayment}>
          {busy === 'simulate-payment' ? 'Paying…' : 'Simulate payment'}
        </button>
        <button type="button" className="button button--sandbox-secondary" data-testid="simulate-cancel" disabled={busy !== null} onClick={onSimulateCancel}>
          {busy === 'simulate-cancel' ? 'Declining…' : 'Simulate cancel'}
        </button>
      </div>
    </div>
  );
}
