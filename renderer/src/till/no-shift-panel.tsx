import './no-shift-panel.css';

/** Roles apply and no shift is open: no sale until the drawer's float is counted. */
export function NoShiftPanel({ onOpenShift }: { onOpenShift(): void }) {
  return (
    <section className="no-shift" data-testid="till-no-shift" aria-labelledby="no-shift-title">
      <h2 id="no-shift-title" className="no-shift-title">
        Open a shift first
      </h2>
      <p className="no-shift-text">Count the cash in the drawer (the float) before the first sale: the shift keeps every sale until the drawer is counted again.</p>
      <button type="button" className="button button--primary no-shift-button" data-testid="go-open-shift" onClick={onOpenShift}>
        Open a shift
      </button>
    </section>
  );
}
