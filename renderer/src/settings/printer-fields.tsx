import './printer-fields.css';
import { PAPER_COLUMNS, PAPER_WIDTHS, MAX_RECEIPT_LINE_LENGTH, MAX_RECEIPT_TEXT_LINES, type PrinterKind, type PrinterModel } from '../../../electron/shared/domain/printer';
import { getCounterApi } from '../common/api';
import { PrinterAction } from '../common/printer-action';
import { describedBy, FieldError } from './field-error';
import { printerChanged, type FieldErrors, type SettingsForm } from './settings-form';
import type { Settings } from '../../../electron/shared/contract';

interface PrinterFieldsProps {
  form: SettingsForm;
  saved: Settings;
  errors: FieldErrors;
  onChange(patch: Partial<SettingsForm>): void;
}

const KINDS: { kind: PrinterKind; label: string; hint: string }[] = [
  { kind: 'none', label: 'None', hint: 'Receipts are printed as a page from the Sales log (Print), or saved as PDF.' },
  { kind: 'network', label: 'Network printer', hint: 'A receipt printer on the shop’s network (ESC/POS over TCP, port 9100): it prints at once, and opens the cash drawer.' },
  { kind: 'system', label: 'System printer', hint: 'Any printer this computer knows, printed to without a dialog. It cannot open a cash drawer.' },
];

const MODELS: { model: PrinterModel; label: string }[] = [
  { model: 'epson', label: 'Epson-compatible (ESC/POS)' },
  { model: 'star', label: 'Star' },
];

/**
 * The receipt printer (SPEC §8): which one, what it prints and when, the
 * cash drawer, and a test receipt. Only the inputs the chosen kind needs are
 * shown; the others keep their values.
 */
export function PrinterFields({ form, saved, errors, onChange }: PrinterFieldsProps) {
  const chosen = KINDS.find((k) => k.kind === form.printerKind) ?? KINDS[0]!;
  const unsaved = printerChanged(form, saved);
  const testOff = unsaved ? 'Save first: the test receipt prints with the saved printer.' : saved.printer.kind === 'none' ? 'Choose a printer first.' : null;
  return (
    <fieldset className="field field--group printer-fields" data-testid="settings-printer">
      <legend className="field-label">Receipt printer</legend>
      <label className="field-sublabel" htmlFor="settings-printer-kind">
        Printer
      </label>
      <select
        id="settings-printer-kind"
        data-testid="settings-printer-kind"
        value={form.printerKind}
        onChange={(e) => onChange({ printerKind: e.target.value as PrinterKind })}
        {...describedBy('printer', errors.printer, 'printer-kind-hint')}
      >
        {KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      <p className="field-hint" id="printer-kind-hint">
        {chosen.hint}
      </p>

      {form.printerKind === 'network' && (
        <>
          <div className="printer-address">
            <label className="printer-address-host">
              <span className="field-sublabel">Address</span>
              <input
                data-testid="settings-printer-host"
                className="input--mono"
                autoComplete="off"
                spellCheck={false}
                placeholder="192.168.1.50"
                maxLength={253}
                value={form.printerHost}
                onChange={(e) => onChange({ printerHost: e.target.value })}
                {...describedBy('printerAddress', errors.printerAddress)}
              />
            </label>
            <label className="printer-address-port">
              <span className="field-sublabel">Port</span>
              <input
                data-testid="settings-printer-port"
                className="input--mono"
                inputMode="numeric"
                autoComplete="off"
                maxLength={5}
                value={form.printerPort}
                onChange={(e) => onChange({ printerPort: e.target.value })}
                {...describedBy('printerAddress', errors.printerAddress)}
              />
            </label>
          </div>
          <FieldError field="printerAddress" message={errors.printerAddress} />
          <label className="field-sublabel" htmlFor="settings-printer-model">
            Model
          </label>
          <select id="settings-printer-model" data-testid="settings-printer-model" value={form.printerModel} onChange={(e) => onChange({ printerModel: e.target.value as PrinterModel })}>
            {MODELS.map((m) => (
              <option key={m.model} value={m.model}>
                {m.label}
              </option>
            ))}
          </select>
        </>
      )}

      {form.printerKind === 'system' && (
        <>
          <label className="field-sublabel" htmlFor="settings-printer-system-name">
            Printer name
          </label>
          <input
            id="settings-printer-system-name"
            data-testid="settings-printer-system-name"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            value={form.printerSystemName}
            onChange={(e) => onChange({ printerSystemName: e.target.value })}
            {...describedBy('printerSystemName', errors.printerSystemName, 'printer-system-name-hint')}
          />
          <p className="field-hint" id="printer-system-name-hint">
            As this computer lists it in its printer settings.
          </p>
          <FieldError field="printerSystemName" message={errors.printerSystemName} />
        </>
      )}

      {form.printerKind !== 'none' && (
        <>
          <fieldset className="printer-choice">
            <legend className="field-sublabel">Paper width</legend>
            <div className="printer-options">
              {PAPER_WIDTHS.map((w) => (
                <label key={w} className="field-check">
                  <input
                    type="radio"
                    name="printer-paper-width"
                    data-testid={`settings-printer-paper-${w}`}
                    checked={form.printerPaperWidth === w}
                    onChange={() => onChange({ printerPaperWidth: w })}
                    aria-describedby="printer-paper-hint"
                  />
                  <span>{w} mm</span>
                </label>
              ))}
            </div>
            <p className="field-hint" id="printer-paper-hint">
              {PAPER_WIDTHS.map((w) => `${PAPER_COLUMNS[w]} characters a line on ${w} mm`).join(', ')}.
            </p>
          </fieldset>

          <label className="field-check">
            <input
              type="checkbox"
              data-testid="settings-printer-auto"
              checked={form.printerAutoPrint}
              onChange={(e) => onChange({ printerAutoPrint: e.target.checked })}
              aria-describedby="printer-auto-hint"
            />
            <span className="field-label">Print automatically when a sale is paid</span>
          </label>
          <p className="field-hint" id="printer-auto-hint">
            Off, the till offers Print receipt after each paid sale.
          </p>

          <fieldset className="printer-choice">
            <legend className="field-sublabel">Copies of a sale’s receipt</legend>
            <div className="printer-options">
              <label className="field-check">
                <input
                  type="checkbox"
                  data-testid="settings-printer-copy-customer"
                  checked={form.printerCopyCustomer}
                  onChange={(e) => onChange({ printerCopyCustomer: e.target.checked })}
                  {...describedBy('printerCopies', errors.printerCopies)}
                />
                <span>Customer copy</span>
              </label>
              <label className="field-check">
                <input
                  type="checkbox"
                  data-testid="settings-printer-copy-shop"
                  checked={form.printerCopyShop}
                  onChange={(e) => onChange({ printerCopyShop: e.target.checked })}
                  {...describedBy('printerCopies', errors.printerCopies)}
                />
                <span>Shop copy</span>
              </label>
            </div>
            <FieldError field="printerCopies" message={errors.printerCopies} />
          </fieldset>

          {form.printerKind === 'network' && (
            <>
              <label className="field-check">
                <input
                  type="checkbox"
                  data-testid="settings-printer-drawer"
                  checked={form.printerDrawerOnCash}
                  onChange={(e) => onChange({ printerDrawerOnCash: e.target.checked })}
                  aria-describedby="printer-drawer-hint"
                />
                <span className="field-label">Open the cash drawer when cash is taken</span>
              </label>
              <p className="field-hint" id="printer-drawer-hint">
                For a drawer plugged into the printer. The till’s No sale button opens it at other times; each opening is recorded.
              </p>
            </>
          )}

          <div className="printer-texts">
            <ReceiptLines field="printerHeader" label="Header lines" testId="settings-printer-header" value={form.printerHeader} error={errors.printerHeader} onChange={(v) => onChange({ printerHeader: v })} />
            <ReceiptLines field="printerFooter" label="Footer lines" testId="settings-printer-footer" value={form.printerFooter} error={errors.printerFooter} onChange={(v) => onChange({ printerFooter: v })} />
          </div>
          <p className="field-hint" id="printer-lines-hint">
            Up to {MAX_RECEIPT_TEXT_LINES} lines each, {MAX_RECEIPT_LINE_LENGTH} characters a line: under the shop name (an address, a phone number) and at the foot of every
            receipt. On 58 mm paper a line longer than {PAPER_COLUMNS[58]} characters wraps.
          </p>
        </>
      )}
      <FieldError field="printer" message={errors.printer} />

      <div className="printer-test">
        <PrinterAction
          label="Print a test receipt"
          testId="settings-printer-test"
          run={() => getCounterApi().printTest(undefined)}
          disabled={testOff !== null}
          disabledHint={testOff}
        />
      </div>
    </fieldset>
  );
}

interface ReceiptLinesProps {
  field: 'printerHeader' | 'printerFooter';
  label: string;
  testId: string;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}

/** One header or footer: a line of text a printed line, in a fixed-width font so the owner sees what fits. */
function ReceiptLines({ field, label, testId, value, error, onChange }: ReceiptLinesProps) {
  const id = `settings-${testId.replace(/^settings-/, '')}`;
  return (
    <div className="printer-lines">
      <label className="field-sublabel" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        data-testid={testId}
        className="printer-lines-input"
        rows={MAX_RECEIPT_TEXT_LINES}
        wrap="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(field, error, 'printer-lines-hint')}
      />
      <FieldError field={field} message={error} />
    </div>
  );
}
