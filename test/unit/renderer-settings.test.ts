import { describe, expect, it } from 'vitest';
import type { Settings } from '../../electron/shared/contract';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';
import { SAVED_SETTINGS } from '../support/settings-fixture';
import {
  amountText,
  checkForm,
  confirmAboveOf,
  fieldErrorsFrom,
  formFromSettings,
  lockAfterMinutesOf,
  maximumSource,
  printerChanged,
  printerFromForm,
  receiptLinesOf,
  settingsPatch,
  slotsOf,
  tipPresetsOf,
  tipPresetsProblem,
  withCodeTable,
  withCurrency,
} from '../../renderer/src/settings/settings-form';

// The settings form's own logic: it sends only what changed, checks what it
// can before sending, and keeps the large-amount threshold an amount of the
// shop's currency.

const saved: Settings = SAVED_SETTINGS;

describe('settings form', () => {
  it('sends only what changed, and checks it first', () => {
    const form = { ...formFromSettings(saved), shopName: ' Corner Café ', tunnelKind: 'fixed' as const, tunnelUrl: 'ftp://nope' };
    const patch = settingsPatch(form, saved);
    expect(patch).toEqual({ shopName: 'Corner Café', tunnel: { kind: 'fixed', url: 'ftp://nope' } });
    expect(checkForm(form, patch)).toEqual({ tunnel: expect.stringMatching(/https:\/\//) });
    expect(settingsPatch(formFromSettings(saved), saved)).toEqual({});
  });

  it('never sends the deposit address or the mode: they change only through the owner’s PIN dialog', () => {
    const form = formFromSettings(saved);
    expect(form).not.toHaveProperty('depositAddress');
    expect(form).not.toHaveProperty('mode');
    expect(settingsPatch({ ...form, shopName: 'Other' }, saved)).toEqual({ shopName: 'Other' });
  });

  it('saves the idle lock in whole minutes from 0 to 240, and refuses anything else in words', () => {
    const form = formFromSettings(saved);
    expect(form.lockAfterMinutes).toBe('5');
    expect(lockAfterMinutesOf({ lockAfterMinutes: ' 15 ' })).toBe(15);
    expect(settingsPatch({ ...form, lockAfterMinutes: '0' }, saved)).toEqual({ lockAfterMinutes: 0 });
    expect(settingsPatch({ ...form, lockAfterMinutes: '240' }, saved)).toEqual({ lockAfterMinutes: 240 });
    expect(settingsPatch({ ...form, lockAfterMinutes: '5' }, saved)).toEqual({});
    for (const bad of ['241', '2.5', '-1', 'ten', '']) {
      const f = { ...form, lockAfterMinutes: bad };
      const patch = settingsPatch(f, saved);
      expect(Number.isNaN(patch.lockAfterMinutes), bad).toBe(true);
      expect(checkForm(f, patch).lockAfterMinutes, bad).toMatch(/Whole minutes from 0 to 240/);
    }
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

describe('settings form: the receipt printer', () => {
  const form = formFromSettings(saved);
  const edit = (patch: Partial<typeof form>) => ({ ...form, ...patch });
  const network = edit({ printerKind: 'network', printerHost: '192.168.1.50' });
  const problems = (patch: Partial<typeof form>) => {
    const f = edit(patch);
    return checkForm(f, settingsPatch(f, saved), saved);
  };

  it('shows the saved printer: none by default, port 9100, the footer one line a row', () => {
    expect(form).toMatchObject({
      printerKind: 'none',
      printerHost: '',
      printerPort: '9100',
      printerModel: 'epson',
      printerPaperWidth: 80,
      printerAutoPrint: false,
      printerCopyCustomer: true,
      printerCopyShop: false,
      printerHeader: '',
      printerFooter: 'Thank you!',
      printerDrawerOnCash: true,
    });
    expect(printerFromForm(form)).toEqual(DEFAULT_PRINTER_SETTINGS);
    expect(settingsPatch(form, saved)).toEqual({});
  });

  it('sends the printer as one setting when any part of it changes', () => {
    expect(settingsPatch(network, saved)).toEqual({ printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: '192.168.1.50' } });
    expect(settingsPatch(edit({ printerAutoPrint: true }), saved)).toEqual({ printer: { ...DEFAULT_PRINTER_SETTINGS, autoPrint: true } });
    expect(settingsPatch(edit({ printerPaperWidth: 58, printerCopyShop: true }), saved).printer).toMatchObject({ paperWidth: 58, copies: { customer: true, shop: true } });
    expect(settingsPatch(edit({ printerKind: 'system', printerSystemName: ' EPSON TM-T20III ' }), saved).printer).toMatchObject({ kind: 'system', systemName: 'EPSON TM-T20III' });
    expect(settingsPatch(edit({ printerPort: ' 9101 ', printerKind: 'network', printerHost: 'printer.local', printerModel: 'star' }), saved).printer).toMatchObject({
      port: 9101,
      host: 'printer.local',
      model: 'star',
    });
    expect(settingsPatch(edit({ printerDrawerOnCash: false }), saved).printer?.drawerOnCash).toBe(false);
  });

  it('reads header and footer lines: trailing spaces and empty lines at the end dropped, a blank line between two kept', () => {
    expect(receiptLinesOf('')).toEqual([]);
    expect(receiptLinesOf('12 Main St  \r\n\nOpen 9–5\n\n \n')).toEqual(['12 Main St', '', 'Open 9–5']);
    expect(settingsPatch(edit({ printerHeader: 'Corner Café\n12 Main St\n', printerFooter: 'Thank you! \n' }), saved).printer).toMatchObject({
      header: ['Corner Café', '12 Main St'],
      footer: ['Thank you!'],
    });
    // The saved footer typed again, with a trailing newline, is no change.
    expect(settingsPatch(edit({ printerFooter: 'Thank you!\n\n' }), saved)).toEqual({});
  });

  it('a network printer needs an address and a port from 1 to 65535, before anything is sent', () => {
    expect(problems({ printerKind: 'network' }).printerAddress).toMatch(/network address, like 192\.168\.1\.50/);
    expect(problems({ printerKind: 'network', printerHost: '192.168.1.50 extra' }).printerAddress).toMatch(/without spaces/);
    expect(problems({ printerKind: 'network', printerHost: '192.168.1.50', printerPort: '0' }).printerAddress).toMatch(/from 1 to 65535/);
    expect(problems({ printerKind: 'network', printerHost: '192.168.1.50', printerPort: '70000' }).printerAddress).toMatch(/from 1 to 65535/);
    expect(problems({ printerKind: 'network', printerHost: '192.168.1.50', printerPort: '91a' }).printerAddress).toMatch(/receipt printers use 9100/);
    expect(problems({ printerKind: 'network', printerHost: 'fe80::1', printerPort: '9100' })).toEqual({});
    expect(checkForm(network, settingsPatch(network, saved), saved)).toEqual({});
    // A port that is not a number never passes as one.
    expect(settingsPatch(edit({ printerKind: 'network', printerHost: 'p', printerPort: 'x' }), saved).printer?.port).toBeNaN();
  });

  it('a port typed wrong under another kind keeps the saved port: the hidden field does not block the save', () => {
    const f = edit({ printerPort: 'x', printerKind: 'none', printerAutoPrint: true });
    expect(settingsPatch(f, saved).printer?.port).toBe(9100);
    expect(checkForm(f, settingsPatch(f, saved), saved)).toEqual({});
  });

  it('a system printer needs its name; a printer prints at least one copy', () => {
    expect(problems({ printerKind: 'system', printerSystemName: '  ' }).printerSystemName).toMatch(/name as this computer lists it/);
    expect(problems({ printerKind: 'system', printerSystemName: 'Receipts' })).toEqual({});
    expect(problems({ ...network, printerCopyCustomer: false }).printerCopies).toBe('Choose at least one copy to print.');
    // With no printer the copies are not asked about.
    expect(problems({ printerCopyCustomer: false })).toEqual({});
  });

  it('refuses more than 4 lines, a line longer than 48 characters, or a control character', () => {
    expect(problems({ printerHeader: 'a\nb\nc\nd\ne' }).printerHeader).toBe('At most 4 lines in the header: this one has 5.');
    expect(problems({ printerFooter: `ok\n${'x'.repeat(49)}` }).printerFooter).toBe('Line 2 is 49 characters: at most 48 fit on a line.');
    expect(problems({ printerFooter: 'x'.repeat(48) })).toEqual({});
    expect(problems({ printerHeader: 'tab\there' }).printerHeader).toMatch(/Line 1 holds a control character/);
  });

  it('says when the printer on screen is not the one saved (the test receipt prints with the saved one)', () => {
    expect(printerChanged(form, saved)).toBe(false);
    expect(printerChanged(edit({ printerPaperWidth: 58 }), saved)).toBe(true);
    expect(printerChanged(edit({ shopName: 'Other' }), saved)).toBe(false);
  });

  it('puts the main process’s messages about the printer in the printer’s slots', () => {
    expect(
      fieldErrorsFrom({ 'printer.host': 'bad host', 'printer.port': 'bad port', 'printer.systemName': 'no name', 'printer.header.2': 'too long', 'printer.footer': 'x', 'printer.copies': 'none' }),
    ).toEqual({ printerAddress: 'bad host bad port', printerSystemName: 'no name', printerHeader: 'too long', printerFooter: 'x', printerCopies: 'none' });
    expect(fieldErrorsFrom({ printer: 'Receipt printer: choose one.' })).toEqual({ printer: 'Receipt printer: choose one.' });
  });

  it('editing a printer field clears its own message; another kind clears them all', () => {
    expect(slotsOf(['printerHost'])).toEqual(['printer', 'printerAddress']);
    expect(slotsOf(['printerFooter'])).toEqual(['printer', 'printerFooter']);
    expect(slotsOf(['printerKind']).sort()).toEqual(['printer', 'printerAddress', 'printerCopies', 'printerFooter', 'printerHeader', 'printerSystemName']);
    expect(slotsOf(['tunnelUrl', 'tipPresets', 'codeMaximumTable', 'shopName'])).toEqual(['tunnel', 'tips', 'codeMaximum', 'shopName']);
  });
});
