import './sandbox-mark.css';

/** Small but unmissable: in sandbox mode no real money moves, and the customer should know a test from a sale. */
export function SandboxMark() {
  return (
    <p className="sandbox-mark" data-testid="customer-sandbox" role="note">
      <strong className="sandbox-mark-word">SANDBOX</strong>
      <span>test payment, no real money</span>
    </p>
  );
}
