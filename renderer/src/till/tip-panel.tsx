import './tip-panel.css';
import type { Sale, TipChoice, TipPrompt } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { percentText, tipOptionText } from '../common/tip-text';
import { TillError } from './till-error';

interface TipPanelProps {
  sale: Sale;
  /** What the main process offers for this sale; null only if the till lost it (then No tip and Cancel remain). */
  prompt: TipPrompt | null;
  busy: boolean;
  /** The main process's refusal, shown here unless the custom form shows it. */
  error: string | null;
  customOpen: boolean;
  onChoose(choice: TipChoice): void;
  onCustom(open: boolean): void;
}

/**
 * The sale waits for its tip (SPEC §7): the customer chooses on their display,
 * or the cashier chooses for them here, with the same options. Cash and the
 * other tenders wait until the total is known; the first Code payment starts
 * once the tip is chosen, whoever chose it.
 */
export function TipPanel({ sale, prompt, busy, error, customOpen, onChoose, onCustom }: TipPanelProps) {
  const options = prompt?.options ?? [];
  return (
    <section className="tip-panel" data-testid="tip-panel" aria-labelledby="tip-panel-title">
      <h2 className="tip-panel-title" id="tip-panel-title">
        <span className="spinner" aria-hidden="true" />
        Waiting for the customer's tip
      </h2>
      <p className="hint tip-panel-hint">
        The customer chooses on their display, or choose for them here: {options.length > 0 ? `keys 1–${options.length} for the presets, ` : ''}
        {prompt?.custom ? 'C for another amount, ' : ''}N for no tip.
      </p>
      <div className="tip-options" role="group" aria-label={`Tip on ${formatMoney(sale.amount, sale.currency)}`}>
        {options.length > 0 && (
          <div className="tip-presets-row">
            {options.map((option, i) => (
              <button
                key={option.percent}
                type="button"
                className="button tip-option tip-option--preset"
                data-testid="tip-option"
                data-percent={option.percent}
                aria-label={`${tipOptionText(option, sale.currency)} (key ${i + 1})`}
                disabled={busy}
                onClick={() => onChoose({ kind: 'percent', percent: option.percent })}
              >
                <span className="tip-option-percent">{percentText(option.percent)}</span>
                <span className="tip-option-amount">{formatMoney(option.amount, sale.currency)}</span>
                <span className="key-hint">{i + 1}</span>
              </button>
            ))}
          </div>
        )}
        <div className="tip-others-row">
          {prompt?.custom && (
            <button type="button" className="button tip-option" data-testid="tip-custom" aria-expanded={customOpen} disabled={busy} onClick={() => onCustom(!customOpen)}>
              Other amount… <span className="key-hint">C</span>
            </button>
          )}
          <button type="button" className="button tip-option" data-testid="tip-none" disabled={busy} onClick={() => onChoose({ kind: 'none' })}>
            No tip <span className="key-hint">N</span>
          </button>
        </div>
      </div>
      {busy && (
        <p className="note" role="status">
          Adding the tip…
        </p>
      )}
      {!customOpen && <TillError message={error} />}
    </section>
  );
}
