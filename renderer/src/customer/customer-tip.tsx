import './customer-tip.css';
import { useState } from 'react';
import type { CustomerView } from '../../../electron/shared/domain/customer-view';
import { formatMoney } from '../../../electron/shared/domain/money';
import type { TipChoice } from '../../../electron/shared/domain/tip';
import { CustomTipKeypad } from './custom-tip-keypad';
import { getCustomerApi } from './customer-api';

interface CustomerTipProps {
  view: Extract<CustomerView, { state: 'tip' }>;
  pushedCount(): number;
  adopt(view: CustomerView, since: number): void;
}

/** Which button is waiting for Counter's answer, to mark it while the rest wait. */
function choiceKey(choice: TipChoice): string {
  return choice.kind === 'percent' ? `percent-${choice.percent}` : choice.kind;
}

/**
 * The customer's one control: a preset (its percent and what it comes to),
 * a custom amount, or no tip. Nothing is chosen for them: no option is
 * highlighted or focused first. Buttons work by touch, mouse and keyboard
 * (Tab, Enter, Space).
 */
export function CustomerTip({ view, pushedCount, adopt }: CustomerTipProps) {
  const [custom, setCustom] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const money = (n: number) => formatMoney(n, view.currency);

  async function choose(choice: TipChoice): Promise<void> {
    if (pending) return;
    setPending(choiceKey(choice));
    setProblem(null);
    const since = pushedCount();
    const answer = await getCustomerApi().chooseTip({ saleId: view.saleId, choice });
    setPending(null);
    if (answer.ok) adopt(answer.value, since);
    else setProblem(answer.error.message);
  }

  return (
    <section className="customer-tip" data-testid="customer-tip" aria-labelledby="customer-tip-title">
      <div className="customer-tip-head">
        <h1 id="customer-tip-title" className="customer-tip-title">
          {custom ? 'Your tip' : 'Add a tip?'}
        </h1>
        <p className="customer-tip-amount">
          Purchase <strong data-testid="customer-amount">{money(view.amount)}</strong>
        </p>
      </div>
      {custom ? (
        <CustomTipKeypad
          currency={view.currency}
          maxCustom={view.prompt.maxCustom}
          busy={pending !== null}
          onConfirm={(amount) => void choose({ kind: 'amount', amount })}
          onBack={() => {
            setProblem(null);
            setCustom(false);
          }}
        />
      ) : (
        <div className="customer-tip-choices">
          <div className="tip-options" role="group" aria-label="Tip">
            {view.prompt.options.map((option) => (
              <button
                key={option.percent}
                type="button"
                className="tip-option"
                data-testid={`tip-option-${option.percent}`}
                aria-busy={pending === `percent-${option.percent}`}
                disabled={pending !== null}
                onClick={() => void choose({ kind: 'percent', percent: option.percent })}
              >
                <span className="tip-option-percent">{option.percent} %</span>
                <TipOptionMoney text={money(option.amount)} />
              </button>
            ))}
          </div>
          <div className="tip-others">
            {view.prompt.custom && (
              <button type="button" className="tip-other" data-testid="tip-custom" disabled={pending !== null} onClick={() => setCustom(true)}>
                Custom
              </button>
            )}
            <button
              type="button"
              className="tip-other"
              data-testid="tip-none"
              aria-busy={pending === 'none'}
              disabled={pending !== null}
              onClick={() => void choose({ kind: 'none' })}
            >
              No tip
            </button>
          </div>
        </div>
      )}
      {problem && (
        <p className="customer-tip-problem" data-testid="customer-tip-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** What a preset comes to; past "$1,234.56" it steps down, so four presets still fit side by side. */
function TipOptionMoney({ text }: { text: string }) {
  return <span className={`tip-option-money${text.length > 9 ? ' tip-option-money--long' : ''}`}>{text}</span>;
}
