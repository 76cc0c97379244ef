import './waiting-panel.css';
import type { ChargeView } from '../../../electron/shared/contract';
import { CodeButton, type ButtonEvent } from './code-button';

interface WaitingPanelProps {
  charge: ChargeView;
  buttonNote: string | null;
  onButtonEvent(event: ButtonEvent, message?: string): void;
}

/** A sale on screen that is not paid yet: the Code button the customer pays through. */
export function WaitingPanel({ charge, buttonNote, onButtonEvent }: WaitingPanelProps) {
  return (
    <div className="waiting">
      <p className="waiting-text" data-testid="waiting" role="status">
        <span className="spinner" aria-hidden="true" />
        Waiting for the customer to pay…
      </p>
      <p className="hint">Press the Code button to show the payment code; the customer scans it with the Code app.</p>
      <CodeButton charge={charge} onEvent={onButtonEvent} />
      {buttonNote && (
        <p className="note" data-testid="button-note">
          The Code button reported: {buttonNote}. The sale stays open; Counter still checks for the payment.
        </p>
      )}
    </div>
  );
}
