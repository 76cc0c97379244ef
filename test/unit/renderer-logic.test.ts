import { randomBytes } from 'node:crypto';
import bs58 from 'bs58';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChargeView, Sale } from '../../electron/shared/contract';
import { decodeBase58, depositAddressProblem } from '../../renderer/src/settings/deposit-address';
import { appendDigits, formatMoney, MAX_TILL_AMOUNT } from '../../renderer/src/common/format-money';
import { formFromSettings, settingsPatch, checkForm } from '../../renderer/src/settings/settings-form';
import { initialTill, tillReducer, type TillAction, type TillState } from '../../renderer/src/till/till-state';

// The renderer's pure logic: what the cashier types, what the till shows for
// each word from the ledger, and the settings form's own checks.

const run = (actions: TillAction[], state: TillState = initialTill) => actions.reduce(tillReducer, state);

const charge: ChargeView = { saleId: 7, intentId: 'I', clientSecret: 's', amount: 12.5, currency: 'usd', destination: 'D', mode: 'sandbox', webhookUrl: null };
const sale = (status: Sale['status'], updatedAt: number, extra: Partial<Sale> = {}): Sale => ({
  id: 7, ref: 'r', amount: 1250, currency: 'usd', mode: 'sandbox', status, destination: 'D', intentId: 'I', webhookUrl: null,
  createdAt: 1, updatedAt, paidAt: status === 'paid' ? updatedAt : null, cancelledAt: null, expiredAt: null, quarks: null,
  exchangeRate: null, firstProof: status === 'paid' ? 'webhook' : null, paidLate: false, ...extra,
});

describe('till: typing an amount', () => {
  it('digits build the amount in hundredths: 1, 2, 5 → 1.25; 00; Backspace; clear', () => {
    expect(run([{ type: 'digits', digits: '1' }, { type: 'digits', digits: '2' }, { type: 'digits', digits: '5' }]).amount).toBe(125);
    expect(run([{ type: 'digits', digits: '3' }, { type: 'digits', digits: '00' }]).amount).toBe(300);
    expect(run([{ type: 'digits', digits: '9' }, { type: 'digits', digits: '9' }, { type: 'back' }]).amount).toBe(9);
    expect(run([{ type: 'digits', digits: '9' }, { type: 'clear' }]).amount).toBe(0);
  });

  it('never goes past the largest amount a sale may carry', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('0', '1', '5', '9', '00'), { maxLength: 30 }), (keys) => {
      const amount = keys.reduce(appendDigits, 0);
      expect(Number.isSafeInteger(amount)).toBe(true);
      expect(amount).toBeLessThanOrEqual(MAX_TILL_AMOUNT);
    }));
  });

  it('formats the amount for the currency', () => {
    expect(formatMoney(125, 'usd')).toMatch(/1\.25/);
    expect(formatMoney(125, 'usd')).toContain('$');
    expect(formatMoney(99_999, 'eur')).toMatch(/999[.,]99/);
    expect(formatMoney(125, 'eur')).toContain('€');
  });
});

describe('till: PAID follows the ledger only', () => {
  const waiting = run([{ type: 'digits', digits: '1250' }, { type: 'charged', charge }]);

  it('a charged sale is waiting until the ledger says otherwise; typing is ignored', () => {
    expect(waiting.current).toMatchObject({ charge, sale: null });
    expect(tillReducer(waiting, { type: 'digits', digits: '5' }).amount).toBe(1250);
    expect(tillReducer(waiting, { type: 'next-sale' })).toBe(waiting);
  });

  it('a paid sale is never moved back by an older pending answer', () => {
    const paid = run([{ type: 'sale', sale: sale('paid', 20), cause: 'credited' }], waiting);
    expect(paid.current?.sale?.status).toBe('paid');
    const stale = run([{ type: 'sale', sale: sale('pending', 30), cause: null }], paid);
    expect(stale.current?.sale?.status).toBe('paid');
    expect(run([{ type: 'next-sale' }], paid)).toMatchObject({ amount: 0, current: null });
  });

  it('a payment for a sale no longer on screen becomes a notice', () => {
    const other = { ...sale('paid', 50, { paidLate: true }), id: 3 };
    const state = run([{ type: 'sale', sale: other, cause: 'late' }], waiting);
    expect(state.notices.map((s) => s.id)).toEqual([3]);
    expect(state.current?.sale).toBeNull();
    expect(run([{ type: 'dismiss-notice', saleId: 3 }], state).notices).toEqual([]);
  });
});

describe('settings form', () => {
  it('decodes base58 exactly as bs58 does and accepts only 32-byte addresses', () => {
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(1 + (i % 40));
      const text = bs58.encode(bytes);
      expect(Buffer.from(decodeBase58(text)!)).toEqual(bytes);
      expect(depositAddressProblem(text) === null).toBe(bytes.length === 32);
    }
    expect(depositAddressProblem('')).toBeNull();
    expect(depositAddressProblem('0OIl')).toMatch(/cannot appear/);
  });

  it('sends only what changed, and checks it first', () => {
    const saved = { mode: 'sandbox' as const, depositAddress: null, currency: 'usd', shopName: 'My shop', tunnel: { kind: 'quick' as const }, confirmAbove: 1_000_00, receiptDetails: false };
    const form = { ...formFromSettings(saved), shopName: ' Corner Café ', tunnelKind: 'fixed' as const, tunnelUrl: 'ftp://nope' };
    const patch = settingsPatch(form, saved);
    expect(patch).toEqual({ shopName: 'Corner Café', tunnel: { kind: 'fixed', url: 'ftp://nope' } });
    expect(checkForm(form, patch)).toEqual({ tunnel: expect.stringMatching(/https:\/\//) });
    expect(settingsPatch(formFromSettings(saved), saved)).toEqual({});
  });
});
