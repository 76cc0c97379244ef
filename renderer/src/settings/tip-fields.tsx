import './tip-fields.css';
import { MAX_TIP_PERCENT } from '../../../electron/shared/domain/tip';
import { describedBy, FieldError } from './field-error';
import type { SettingsForm } from './settings-form';

interface TipFieldsProps {
  form: SettingsForm;
  error: string | undefined;
  onChange(patch: Partial<SettingsForm>): void;
}

/**
 * Tips (SPEC §7): off by default; when on, each sale waits for the tip
 * before its first Code payment: a preset percentage, another amount (when
 * allowed), or none, chosen by the customer on their display or by the
 * cashier at the till.
 */
export function TipFields({ form, error, onChange }: TipFieldsProps) {
  const setPreset = (index: number, text: string) => onChange({ tipPresets: form.tipPresets.map((t, i) => (i === index ? text : t)) });
  return (
    <fieldset className="field field--group" data-testid="settings-tips">
      <legend className="field-label">Tips</legend>
      <label className="field-check">
        <input
          type="checkbox"
          data-testid="settings-tips-enabled"
          checked={form.tipsEnabled}
          onChange={(e) => onChange({ tipsEnabled: e.target.checked })}
          {...describedBy('tips', error, 'tips-hint')}
        />
        <span className="field-label">Ask for a tip</span>
      </label>
      <p className="field-hint" id="tips-hint">
        Before paying, the customer chooses on the customer display (or the cashier for them, keys 1–4, C, N): a preset, another amount, or no tip.
      </p>
      <p className="field-sublabel" id="tip-presets-label">
        Presets, in percent (up to {form.tipPresets.length}; leave a box empty for fewer)
      </p>
      <div className="tip-presets" role="group" aria-labelledby="tip-presets-label">
        {form.tipPresets.map((text, i) => (
          <span key={i} className="tip-preset">
            <input
              data-testid={`settings-tip-preset-${i + 1}`}
              className="input--percent"
              aria-label={`Preset ${i + 1}, percent`}
              inputMode="numeric"
              autoComplete="off"
              maxLength={5}
              value={text}
              placeholder="—"
              onChange={(e) => setPreset(i, e.target.value)}
              {...describedBy('tips', error, 'tips-hint')}
            />
            <span className="tip-preset-unit" aria-hidden="true">
              %
            </span>
          </span>
        ))}
      </div>
      <label className="field-check">
        <input
          type="checkbox"
          data-testid="settings-tips-custom"
          checked={form.tipCustom}
          onChange={(e) => onChange({ tipCustom: e.target.checked })}
          {...describedBy('tips', error, 'tips-custom-hint')}
        />
        <span className="field-label">Allow another amount</span>
      </label>
      <p className="field-hint" id="tips-custom-hint">
        At most the sale's own amount. Whole percents from 1 to {MAX_TIP_PERCENT}.
      </p>
      <FieldError field="tips" message={error} />
    </fieldset>
  );
}
