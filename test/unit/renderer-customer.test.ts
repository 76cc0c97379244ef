import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerView } from '../../electron/shared/domain/customer-view';
import { MAX_AMOUNT_HUNDREDTHS } from '../../electron/shared/domain/money';
import { checkCustomTip, MAX_TIP_TEXT, tipBackspace, tipKeyOf, typeTipKey, type TipKey } from '../../renderer/src/customer/custom-tip';
import { isCustomerView } from '../../renderer/src/customer/customer-view-shape';

// The customer display's pure logic: a custom tip typed by a stranger
// becomes exactly the hundredths sent, or a sentence saying what is wrong;
// and a view that arrives malformed is never drawn.

const typed = (text: string) => [...text].reduce((t, c) => typeTipKey(t, tipKeyOf(c)!), '');

describe('customer display: typing a custom tip', () => {
  it('reads digits and one separator as integer hundredths: "2.5" is 250, "2,05" is 205, "3" is 300', () => {
    expect(checkCustomTip(typed('2.5'), 'usd', 1200)).toEqual({ ok: true, amount: 250 });
    expect(checkCustomTip(typed('2,05'), 'usd', 1200)).toEqual({ ok: true, amount: 205 });
    expect(checkCustomTip(typed('3'), 'usd', 1200)).toEqual({ ok: true, amount: 300 });
    expect(checkCustomTip(typed('0.1'), 'usd', 1200)).toEqual({ ok: true, amount: 10 });
    expect(checkCustomTip(typed('12.'), 'usd', 1200)).toEqual({ ok: true, amount: 1200 });
  });

  it('takes a separator typed first as "0." and ignores keys that are not digits or separators', () => {
    expect(typed('.5')).toBe('0.5');
    expect(tipKeyOf('a')).toBeNull();
    expect(tipKeyOf('Enter')).toBeNull();
    expect(tipKeyOf(',')).toBe('.');
    expect(tipBackspace('2.5')).toBe('2.');
    expect(tipBackspace('')).toBe('');
  });

  it('says what is wrong instead of ignoring a key: nothing typed, three decimals, two separators, past the maximum', () => {
    expect(checkCustomTip('', 'usd', 1200)).toEqual({ ok: false, message: 'Type the tip amount, or go back.' });
    expect(checkCustomTip(typed('1.234'), 'usd', 1200)).toEqual({ ok: false, message: 'At most two decimals (cents), like 2.50.' });
    expect(checkCustomTip(typed('1.2.3'), 'usd', 1200)).toMatchObject({ ok: false, message: expect.stringMatching(/not an amount/) });
    expect(checkCustomTip(typed('12.01'), 'usd', 1200)).toEqual({ ok: false, message: 'The largest tip is $12.00.' });
    expect(checkCustomTip(typed('12'), 'usd', 1200)).toEqual({ ok: true, amount: 1200 });
  });

  it('takes whole amounts only in a currency without minor units (¥), in hundredths like every amount', () => {
    expect(checkCustomTip(typed('150'), 'jpy', 100_000)).toEqual({ ok: true, amount: 15_000 });
    expect(checkCustomTip(typed('150.5'), 'jpy', 100_000)).toEqual({ ok: false, message: 'Whole amounts only, without decimals.' });
  });

  it('stops at MAX_TIP_TEXT characters, and never builds a number past MAX_AMOUNT_HUNDREDTHS', () => {
    expect(typed('9'.repeat(20))).toBe('9'.repeat(MAX_TIP_TEXT));
    expect(checkCustomTip('9'.repeat(MAX_TIP_TEXT), 'usd', MAX_AMOUNT_HUNDREDTHS)).toMatchObject({ ok: false });
    expect(checkCustomTip('100000000.00', 'usd', MAX_AMOUNT_HUNDREDTHS)).toEqual({ ok: true, amount: MAX_AMOUNT_HUNDREDTHS });
    expect(checkCustomTip('000000000000', 'usd', 100)).toEqual({ ok: true, amount: 0 });
  });

  it('any accepted text is exactly the hundredths it reads, within 0 and the maximum (property)', () => {
    const key = fc.constantFrom<TipKey>('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.');
    fc.assert(
      fc.property(fc.array(key, { maxLength: 16 }), fc.integer({ min: 0, max: 1_000_000 }), (keys, max) => {
        const text = keys.reduce(typeTipKey, '');
        const check = checkCustomTip(text, 'usd', max);
        if (!check.ok) return;
        expect(Number.isSafeInteger(check.amount)).toBe(true);
        expect(check.amount).toBeGreaterThanOrEqual(0);
        expect(check.amount).toBeLessThanOrEqual(max);
        const [whole, decimals = ''] = text.split('.');
        expect(check.amount).toBe(Number(whole) * 100 + Number(decimals.padEnd(2, '0')));
      }),
    );
  });
});

const shop = { shopName: 'Corner Shop', mode: 'sandbox' as const };
const amounts = { saleId: 3, currency: 'usd', amount: 1200, tipAmount: 180, total: 1380, paid: 0 };
const drawing = { size: 100, center: 'M0 0', arcs: ['M1 1'], dots: ['M2 2'] };

describe('customer display: the shape of a view from the wire', () => {
  it('takes each state the display draws', () => {
    const views: CustomerView[] = [
      { state: 'idle', ...shop },
      { state: 'sale', ...shop, ...amounts },
      { state: 'tip', prompt: { options: [{ percent: 15, amount: 180 }], custom: true, maxCustom: 1200 }, ...shop, ...amounts },
      { state: 'code', payment: { tenderId: 4, intentId: 'I', amount: 1380, index: 1, count: 1 }, code: drawing, ...shop, ...amounts },
      { state: 'paid', ...shop, ...amounts },
    ];
    for (const view of views) expect(isCustomerView(JSON.parse(JSON.stringify(view)))).toBe(true);
  });

  it('refuses what it would draw wrong: an unknown state, a missing amount, a fractional amount, a code without paths, a strange mode', () => {
    expect(isCustomerView(null)).toBe(false);
    expect(isCustomerView([])).toBe(false);
    expect(isCustomerView({ state: 'settings', ...shop })).toBe(false);
    expect(isCustomerView({ state: 'sale', ...shop, ...amounts, total: undefined })).toBe(false);
    expect(isCustomerView({ state: 'sale', ...shop, ...amounts, amount: 12.5 })).toBe(false);
    expect(isCustomerView({ state: 'paid', ...shop, ...amounts, paid: -1 })).toBe(false);
    expect(isCustomerView({ state: 'tip', prompt: { options: 'x', custom: true, maxCustom: 1 }, ...shop, ...amounts })).toBe(false);
    expect(isCustomerView({ state: 'code', payment: { tenderId: 4, intentId: 'I', amount: 1, index: 1, count: 1 }, code: { ...drawing, arcs: [1] }, ...shop, ...amounts })).toBe(false);
    expect(isCustomerView({ state: 'idle', shopName: 'x', mode: 'prod' })).toBe(false);
  });
});
