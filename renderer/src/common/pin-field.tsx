import './pin-field.css';
interface PinFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  invalid?: boolean;
}

/** A PIN typed in a form: masked, digits only (anything else is dropped as typed), never filled in by the browser. */
export function PinField({ id, label, value, onChange, hint, invalid = false }: PinFieldProps) {
  return (
    <div className="pin-field">
      <label className="pin-field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        data-testid={id}
        className="input--pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        value={value}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
      />
      {hint && (
        <p className="pin-field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
