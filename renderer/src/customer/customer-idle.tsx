import './customer-idle.css';

/** Between sales: who the shop is and how it takes payment, nothing to act on. */
export function CustomerIdle({ shopName }: { shopName: string }) {
  return (
    <section className="customer-idle" data-testid="customer-idle" aria-label="Welcome">
      <p className="customer-idle-shop">{shopName}</p>
      <p className="customer-idle-pay">Pay with Code</p>
    </section>
  );
}
