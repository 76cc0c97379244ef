import './customer-app.css';
import type { CustomerView } from '../../../electron/shared/domain/customer-view';
import { CustomerCode } from './customer-code';
import { CustomerIdle } from './customer-idle';
import { CustomerPaid } from './customer-paid';
import { CustomerSale } from './customer-sale';
import { CustomerTip } from './customer-tip';
import { SandboxMark } from './sandbox-mark';
import { useCustomerView } from './use-customer-view';

/**
 * The customer display (SPEC §7): idle, the sale, the tip choice, the scan
 * code, PAID. It faces the public, so it holds no control but the tip: no
 * links, no settings, no log, no shortcut keys.
 */
export function CustomerApp() {
  const { view, problem, pushedCount, adopt } = useCustomerView();
  if (!view) {
    return (
      <main className="customer customer--connecting" data-testid="customer-display" data-state="connecting">
        <p className="customer-connecting" data-testid={problem ? 'customer-problem' : 'customer-connecting'} role="status">
          {problem ?? 'Connecting to the till…'}
        </p>
      </main>
    );
  }
  return (
    <main className={`customer customer--${view.state}`} data-testid="customer-display" data-state={view.state}>
      {view.mode === 'sandbox' && <SandboxMark />}
      {view.state !== 'idle' && view.state !== 'paid' && (
        <p className="customer-shop" data-testid="customer-shop">
          {view.shopName}
        </p>
      )}
      <StateView view={view} pushedCount={pushedCount} adopt={adopt} />
    </main>
  );
}

function StateView({ view, pushedCount, adopt }: { view: CustomerView; pushedCount(): number; adopt(view: CustomerView, since: number): void }) {
  switch (view.state) {
    case 'idle':
      return <CustomerIdle shopName={view.shopName} />;
    case 'sale':
      return <CustomerSale view={view} />;
    case 'tip':
      // Keyed by sale: a new sale's tip starts from the options, never from another sale's half-typed amount.
      return <CustomerTip key={view.saleId} view={view} pushedCount={pushedCount} adopt={adopt} />;
    case 'code':
      return <CustomerCode view={view} />;
    case 'paid':
      return <CustomerPaid view={view} />;
  }
}
