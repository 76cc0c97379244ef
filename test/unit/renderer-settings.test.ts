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
