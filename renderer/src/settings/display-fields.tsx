import { describedBy, FieldError } from './field-error';
import type { FieldErrors, SettingsForm } from './settings-form';

interface DisplayFieldsProps {
  form: SettingsForm;
  errors: FieldErrors;
  onChange(patch: Partial<SettingsForm>): void;
}

/** What the customer sees and hears of a payment: the customer display, and the till's chime when a payment is confirmed. */
export function DisplayFields({ form, errors, onChange }: DisplayFieldsProps) {
  return (
    <fieldset className="field field--group" data-testid="settings-display">
      <legend className="field-label">Customer display and sound</legend>
      <label className="field-check">
        <input
          type="checkbox"
          data-testid="settings-customer-display"
          checked={form.customerDisplay}
          onChange={(e) => onChange({ customerDisplay: e.target.checked })}
          {...describedBy('customerDisplay', errors.customerDisplay, 'customer-display-hint')}
        />
        <span className="field-label">Customer display</span>
      </label>
      <p className="field-hint" id="customer-display-hint">
        A screen for the customer: the amount, the tip choice, the payment code to scan, PAID. Full screen on a second display when one is connected, otherwise a
        window to move where the customer sees it.
      </p>
      <FieldError field="customerDisplay" message={errors.customerDisplay} />
      <label className="field-check">
        <input
          type="checkbox"
          data-testid="settings-paid-sound"
          checked={form.paidSound}
          onChange={(e) => onChange({ paidSound: e.target.checked })}
          {...describedBy('paidSound', errors.paidSound, 'paid-sound-hint')}
        />
        <span className="field-label">Sound when paid</span>
      </label>
      <p className="field-hint" id="paid-sound-hint">
        A short chime on the till when a payment is confirmed.
      </p>
      <FieldError field="paidSound" message={errors.paidSound} />
    </fieldset>
  );
}
