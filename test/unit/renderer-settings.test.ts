import { describe, expect, it } from 'vitest';
import type { Settings } from '../../electron/shared/contract';
import {
  amountText,
  checkForm,
  confirmAboveOf,
  fieldErrorsFrom,
  formFromSettings,
  maximumSource,
  settingsPatch,
  tipPresetsOf,
  tipPresetsProblem,
  withCodeTable,
  withCurrency,
} from '../../renderer/src/settings/settings-form';

// The settings form's own logic: it sends only what changed, checks what it
// can before sending, and keeps the large-amount threshold an amount of the
// shop's currency.

const saved: Settings = {
  mode: 'sandbox',
  depositAddress: null,
  currency: 'usd',
  shopName: 'My shop',
  tunnel: { kind: 'quick' },
  confirmAbove: 1_000_00,
  receiptDetails: false,
  codeMaximum: { amount: 100, source: 'code-table', at: null, tableAmount: 100, minimum: 5 },
  sandboxPaymentService: true,
  tips: { enabled: false, presets: [10, 15, 20], custom: true },
  customerDisplay: true,
  paidSound: true,
};

describe('settings form', () => {
  it('sends only what changed, and checks it first', () => {
    const form = { ...formFromSettings(saved), shopName: ' Corner Café ', tunnelKind: 'fixed' as const, tunnelUrl: 'ftp://nope' };
    const patch = settingsPatch(form, saved);
    expect(patch).toEqual({ shopName: 'Corner Café', tunnel: { kind: 'fixed', url: 'ftp://nope' } });
    expect(checkForm(form, patch)).toEqual({ tunnel: expect.stringMatching(/https:\/\//) });
    expect(settingsPatch(formFromSettings(saved), saved)).toEqual({});
  });

  it('checks a deposit address with the shared check', () => {
    const form = { ...formFromSettings(saved), depositAddress: '0OIl' };
    expect(checkForm(form, settingsPatch(form, saved)).depositAddress).toMatch(/cannot appear/);
  });

  it('shows the threshold as the owner would type it, and reads it back in hundredths', () => {
    expect(formFromSettings(saved).confirmAbove).toBe('1000');
    expect(amountText(1250_50)).toBe('1250.50');
    expect(amountText(1250_05)).toBe('1250.05');
    expect(amountText(100_000_00)).toBe('100000');
    expect(confirmAboveOf({ ...formFromSettings(saved), confirmAbove: '50.5' })).toBe(50_50);
    expect(confirmAboveOf({ ...formFromSettings(saved), confirmAbove: '' })).toBe(0);
    expect(confirmAboveOf({ ...formFromSettings(saved), currency: 'jpy', confirmAbove: '12.5' })).toBeNull();
  });

  it('saves a new threshold, 0 to turn it off, and refuses one that is not an amount', () => {
    const form = formFromSettings(saved);
    expect(settingsPatch({ ...form, confirmAbove: '50' }, saved)).toEqual({ confirmAbove: 50_00 });
    expect(settingsPatch({ ...form, confirmAbove: '0' }, saved)).toEqual({ confirmAbove: 0 });
    // The same amount written another way is no change.
    expect(settingsPatch({ ...form, confirmAbove: '1000.00' }, saved)).toEqual({});
    const bad = { ...form, confirmAbove: '12.345' };
    expect(checkForm(bad, settingsPatch(bad, saved)).confirmAbove).toMatch(/at most two decimals/);
    const badYen = withCurrency({ ...form, confirmAbove: '12.5' }, 'jpy', saved);
    expect(checkForm(badYen, settingsPatch(badYen, saved)).confirmAbove).toMatch(/whole amount in JPY/);
  });

  it('a threshold left alone follows the currency to its default; one the owner typed stays', () => {
    const yen = withCurrency(formFromSettings(saved), 'jpy', saved);
    expect(yen.confirmAbove).toBe('100000');
    // Not sent: on a new currency the main process sets that currency's default itself (the same amount).
    expect(settingsPatch(yen, saved)).toEqual({ currency: 'jpy' });
    expect(withCurrency(yen, 'usd', saved).confirmAbove).toBe('1000');
    const typed = withCurrency({ ...formFromSettings(saved), confirmAbove: '250' }, 'eur', saved);
    expect(typed.confirmAbove).toBe('250');
    expect(settingsPatch(typed, saved)).toEqual({ currency: 'eur', confirmAbove: 250_00 });
  });

  it('sends the receipt-details choice when it changes', () => {
    expect(settingsPatch({ ...formFromSettings(saved), receiptDetails: true }, saved)).toEqual({ receiptDetails: true });
  });

  it('keeps a saved named-tunnel token: an empty token input sends no token', () => {
    const named: Settings = { ...saved, tunnel: { kind: 'named', publicUrl: 'https://till.example.com', tokenSaved: true } };
    const form = formFromSettings(named);
    expect(form.tunnelToken).toBe('');
    expect(settingsPatch(form, named)).toEqual({});
    expect(settingsPatch({ ...form, tunnelUrl: 'https://pay.example.com' }, named)).toEqual({ tunnel: { kind: 'named', publicUrl: 'https://pay.example.com' } });
    const token = 'x'.repeat(40);
    expect(settingsPatch({ ...form, tunnelToken: ` ${token} ` }, named)).toEqual({ tunnel: { kind: 'named', token, publicUrl: 'https://till.example.com' } });
  });

  it('sorts the main process’s field messages into the form’s slots', () => {
    expect(fieldErrorsFrom({ 'tunnel.publicUrl': 'bad', confirmAbove: 'too big', other: 'x' })).toEqual({ tunnel: 'bad', confirmAbove: 'too big' });
  });
});

describe('settings form: Code payments', () => {
  it('shows the maximum as the owner would type it, and sends a new one in hundredths', () => {
    const form = formFromSettings(saved);
    expect(form.codeMaximum).toBe('1');
    expect(settingsPatch({ ...form, codeMaximum: '5' }, saved)).toEqual({ codeMaximum: 500 });
    expect(settingsPatch({ ...form, codeMaximum: '1.00' }, saved)).toEqual({});
  });

  it('refuses a maximum that is not an amount, or below Code’s minimum', () => {
    const form = formFromSettings(saved);
    const bad = { ...form, codeMaximum: 'five' };
    expect(checkForm(bad, settingsPatch(bad, saved), saved).codeMaximum).toMatch(/at most two decimals, like 1/);
    const low = { ...form, codeMaximum: '0.04' };
    expect(checkForm(low, settingsPatch(low, saved), saved).codeMaximum).toBe("At least $0.05, Code's minimum for one payment.");
    const fine = { ...form, codeMaximum: '0.05' };
    expect(checkForm(fine, settingsPatch(fine, saved), saved)).toEqual({});
  });

  it('"Use Code’s table" sends null, only when the maximum is not the table’s already', () => {
    const owner: Settings = { ...saved, codeMaximum: { ...saved.codeMaximum, amount: 500, source: 'owner' } };
    const reset = withCodeTable(formFromSettings(owner), owner);
    expect(reset).toMatchObject({ codeMaximum: '1', codeMaximumTable: true });
    expect(settingsPatch(reset, owner)).toEqual({ codeMaximum: null });
    expect(settingsPatch(withCodeTable(formFromSettings(saved), saved), saved)).toEqual({});
  });

  it('leaves the maximum alone while another currency is chosen (it is set per currency)', () => {
    const yen = { ...withCurrency(formFromSettings(saved), 'jpy', saved), codeMaximum: '3' };
    expect(settingsPatch(yen, saved)).toEqual({ currency: 'jpy' });
  });

  it('sends the sandbox’s payment-service switch', () => {
    expect(settingsPatch({ ...formFromSettings(saved), sandboxPaymentService: false }, saved)).toEqual({ sandboxPaymentService: false });
  });

  it('says where the maximum came from', () => {
    expect(maximumSource(saved, 'UTC')).toBe("From Code's table.");
    const learned: Settings = { ...saved, codeMaximum: { ...saved.codeMaximum, amount: 500, source: 'sequencer', at: Date.UTC(2026, 10, 23, 12) } };
    expect(maximumSource(learned, 'UTC')).toMatch(/^Learned from Code on .*2026.*: it refused a larger payment and named this maximum\.$/);
    const owner: Settings = { ...saved, codeMaximum: { ...saved.codeMaximum, amount: 500, source: 'owner' } };
    expect(maximumSource(owner, 'UTC')).toBe("Set by you. Code's table says $1.00.");
    expect(fieldErrorsFrom({ codeMaximum: 'too small', sandboxPaymentService: 'sandbox only' })).toEqual({ codeMaximum: 'too small', sandboxPaymentService: 'sandbox only' });
  });
});

describe('settings form: the tunnel, checked with shared’s schema', () => {
  const form = formFromSettings(saved);
  const errorsFor = (patch: Partial<typeof form>) => {
    const f = { ...form, ...patch };
    return checkForm(f, settingsPatch(f, saved)).tunnel;
  };

  it('asks for the whole token, and an https URL for a named tunnel', () => {
    expect(errorsFor({ tunnelKind: 'named', tunnelToken: 'short', tunnelUrl: 'https://till.example.com' })).toMatch(/whole tunnel token/);
    expect(errorsFor({ tunnelKind: 'named', tunnelToken: 'x'.repeat(40), tunnelUrl: 'http://till.example.com' })).toMatch(/https:\/\//);
    expect(errorsFor({ tunnelKind: 'named', tunnelToken: 'x'.repeat(40), tunnelUrl: 'https://till.example.com' })).toBeUndefined();
  });

  it('takes http or https for a fixed URL', () => {
    expect(errorsFor({ tunnelKind: 'fixed', tunnelUrl: 'http://till.example.com' })).toBeUndefined();
    expect(errorsFor({ tunnelKind: 'fixed', tunnelUrl: 'till.example.com' })).toMatch(/full address/);
  });
});

describe('settings form: tips, the customer display and the sound', () => {
  const form = formFromSettings(saved);
  const edit = (patch: Partial<typeof form>) => ({ ...form, ...patch });

  it('shows the presets in their boxes, one per box, the rest empty', () => {
    expect(form).toMatchObject({ tipsEnabled: false, tipPresets: ['10', '15', '20', ''], tipCustom: true, customerDisplay: true, paidSound: true });
    expect(tipPresetsOf(form)).toEqual([10, 15, 20]);
  });

  it('sends tips as one setting when any part of it changes, in the boxes’ order, empty boxes left out', () => {
    expect(settingsPatch(edit({ tipsEnabled: true }), saved)).toEqual({ tips: { enabled: true, presets: [10, 15, 20], custom: true } });
    expect(settingsPatch(edit({ tipPresets: ['18', '', ' 22 ', '25 %'] }), saved)).toEqual({ tips: { enabled: false, presets: [18, 22, 25], custom: true } });
    expect(settingsPatch(edit({ tipCustom: false }), saved)).toEqual({ tips: { enabled: false, presets: [10, 15, 20], custom: false } });
    // The same presets typed again are no change.
    expect(settingsPatch(edit({ tipPresets: ['10', '15 %', '20', ' '] }), saved)).toEqual({});
  });

  it('refuses presets that are not whole percents from 1 to 100, or given twice, before sending', () => {
    const problem = (tipPresets: string[], more: Partial<typeof form> = {}) => {
      const f = edit({ tipPresets, ...more });
      return checkForm(f, settingsPatch(f, saved)).tips;
    };
    expect(problem(['12.5', '', '', ''])).toBe('Each preset is a whole percent from 1 to 100, like 15.');
    expect(problem(['ten', '', '', ''])).toMatch(/whole percent/);
    expect(problem(['-5', '', '', ''])).toMatch(/whole percent/);
    expect(problem(['0', '15', '', ''])).toBe('0 % is not a preset: each is from 1 to 100 %.');
    expect(problem(['150', '', '', ''])).toMatch(/150 % is not a preset/);
    expect(problem(['15', '15', '', ''])).toBe('15 % is there twice: give each preset once.');
    expect(problem(['', '', '', ''], { tipsEnabled: true, tipCustom: false })).toBe('Give at least one preset, or allow another amount.');
    expect(problem(['', '', '', ''], { tipsEnabled: true, tipCustom: true })).toBeUndefined();
    expect(problem(['5', '100', '', ''])).toBeUndefined();
    expect(tipPresetsProblem(edit({ tipPresets: ['1', '2', '3', '4'] }))).toBeNull();
    // Unreadable presets never pass as numbers.
    expect(settingsPatch(edit({ tipPresets: ['x', '', '', ''] }), saved).tips?.presets).toEqual([Number.NaN]);
  });

  it('sends the customer display and the sound switches', () => {
    expect(settingsPatch(edit({ customerDisplay: false }), saved)).toEqual({ customerDisplay: false });
    expect(settingsPatch(edit({ paidSound: false }), saved)).toEqual({ paidSound: false });
  });

  it('puts the main process’s messages about tips in the tips slot', () => {
    expect(fieldErrorsFrom({ 'tips.presets.1': 'at most 100 %', customerDisplay: 'x', paidSound: 'y' })).toEqual({ tips: 'at most 100 %', customerDisplay: 'x', paidSound: 'y' });
  });
});
