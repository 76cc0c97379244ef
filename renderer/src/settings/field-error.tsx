import './field-error.css';
import type { SettingsField } from './settings-form';

/** The message next to one settings input; the input points at it with aria-describedby. */
export function FieldError({ field, message }: { field: SettingsField; message: string | undefined }) {
  return (
    <p className="field-error" id={`field-error-${field}`} data-testid={`field-error-${field}`} role={message ? 'alert' : undefined} hidden={!message}>
      {message}
    </p>
  );
}

/** aria props for an input whose error sits in a FieldError (and optionally a hint). */
export function describedBy(field: SettingsField, message: string | undefined, hintId?: string) {
  return {
    'aria-invalid': message ? true : undefined,
    'aria-describedby': [hintId, `field-error-${field}`].filter(Boolean).join(' '),
  } as const;
}
