import './sandbox-banner.css';
/** Permanent while the app is in sandbox mode: no cashier may mistake a test payment for money. */
export function SandboxBanner() {
  return (
    <div className="sandbox-banner" data-testid="sandbox-banner" role="note" aria-label="Sandbox mode">
      <strong className="sandbox-banner-word">SANDBOX</strong>
      <span>Sandbox mode — test payments only, no real money</span>
    </div>
  );
}
