import './refund-method-fields.css';
import { MAX_REFUND_NOTE, REFUND_METHODS, REFUND_METHOD_WORDS, type RefundMethod } from '../../../../electron/shared/domain/refund';
import { noteLabel } from './refund-form';

interface RefundMethodFieldsProps {
  /** `refund` or `void`: the radios' name, the fields' ids and test ids (`refund-method-cash`, `void-note`). */
  name: string;
  legend: string;
  method: RefundMethod;
  note: string;
  onChange(patch: { method?: RefundMethod; note?: string }): void;
}

/** How the money goes back (cash, Code, other) and the note it needs when not cash: the refund's and the void's. */
export function RefundMethodFields({ name, legend, method, note, onChange }: RefundMethodFieldsProps) {
  return (
    <>
      <fieldset className="refund-methods">
        <legend className="modal-label">{legend}</legend>
        {REFUND_METHODS.map((m) => (
          <label key={m} className="refund-method">
            <input type="radio" name={`${name}-method`} value={m} data-testid={`${name}-method-${m}`} checked={method === m} onChange={() => onChange({ method: m })} />
            {REFUND_METHOD_WORDS[m]}
          </label>
        ))}
      </fieldset>
      <div className="modal-field">
        <label className="modal-label" htmlFor={`${name}-note`}>
          {noteLabel(method)}
        </label>
        <input id={`${name}-note`} data-testid={`${name}-note`} autoComplete="off" maxLength={MAX_REFUND_NOTE} value={note} onChange={(e) => onChange({ note: e.target.value })} />
      </div>
    </>
  );
}
