import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChargeView, Sale } from '../../electron/shared/contract';
import { MAX_AMOUNT_HUNDREDTHS } from '../../electron/shared/domain/money';
import { backspace, entryAmount, entryKeyOf, needsConfirmation, typeKey, type EntryKey } from '../../renderer/src/till/amount-entry';
import { initialTill, tillReducer, type TillAction, type TillState } from '../../renderer/src/till/till-state';

// The till's pure logic: what the cashier types becomes exactly the amount
// charged, and what the till shows follows the ledger's word alone.

const run = (actions: TillAction[], state: TillState = initialTill) => actions.reduce(tillReducer, state);
const keys = (text: string): TillAction[] => [...text].map((c) => ({ type: 'key', key: entryKeyOf(c)! }));
const typed = (text: string, currency = 'usd') => run([{ type: 'currency', currency }, ...keys(text)]);
const amountOf = (s: TillState) => entryAmount(s.entry, s.currency);

const charge: ChargeView = { saleId: 7, intentId: 'I', clientSecret: 's', amount: 1250, currency: 'usd', destination: 'D', mode: 'sandbox', webhookUrl: null };
const sale = (status: Sale['status'], updatedAt: number, extra: Partial<Sale> = {}): Sale => ({
  id: 7, ref: 'r', amount: 1250, currency: 'usd', mode: 'sandbox', status, destination: 'D', intentId: 'I', webhookUrl: null,
  createdAt: 1, updatedAt, paidAt: status === 'paid' ? updatedAt : null, cancelledAt: null, expiredAt: null, quarks: null,
  exchangeRate: null, firstProof: status === 'paid' ? 'webhook' : null, paidLate: false, ...extra,
});

describe('till: typing an amount in a currency with cents', () => {
  it('reads a typed decimal point: "12.5" is 12.50, "12.05" is 12.05, "12" is 12.00', () => {
    expect(amountOf(typed('12.5'))).toBe(1250);
    expect(amountOf(typed('12.05'))).toBe(1205);
    expect(amountOf(typed('12'))).toBe(1200);
    expect(amountOf(typed('0.04'))).toBe(4);
    expect(typed('12.5').entry).toBe('12.5');
  });

  it('takes "," as the separator too, and a separator typed first as "0."', () => {
    expect(typed('12,5').entry).toBe('12.5');
    expect(amountOf(typed('12,5'))).toBe(1250);
    expect(typed('.5').entry).toBe('0.5');
    expect(amountOf(typed('.5'))).toBe(50);
  });

  it('refuses a second separator and a third decimal', () => {
    expect(typed('1..2').entry).toBe('1.2');
    expect(typed('1.2.3').entry).toBe('1.23');
    expect(typed('1.234').entry).toBe('1.23');
    expect(typed('1,2.3').entry).toBe('1.23');
  });

  it('drops leading zeros, and "00" adds two zeros only where they fit', () => {
    expect(typed('007').entry).toBe('7');
    expect(typed('0.07').entry).toBe('0.07');
    expect(run([{ type: 'key', key: '00' }]).entry).toBe('0');
    expect(run([...keys('3'), { type: 'key', key: '00' }]).entry).toBe('300');
    expect(run([...keys('3.'), { type: 'key', key: '00' }]).entry).toBe('3.00');
    // One decimal typed: "00" would make three, so it is refused whole.
    expect(run([...keys('3.5'), { type: 'key', key: '00' }]).entry).toBe('3.5');
  });

  it('Backspace removes the last key, the separator included; Clear empties it', () => {
    const s = typed('12.5');
    expect(run([{ type: 'back' }], s).entry).toBe('12.');
    expect(run([{ type: 'back' }, { type: 'back' }], s).entry).toBe('12');
    expect(amountOf(run([{ type: 'back' }, { type: 'back' }, ...keys('3')], s))).toBe(12300);
    // The separator can be typed again once it is gone.
    expect(run([{ type: 'back' }, { type: 'back' }, ...keys('.75')], s).entry).toBe('12.75');
    expect(run([{ type: 'back' }, { type: 'back' }, { type: 'back' }, { type: 'back' }, { type: 'back' }], s).entry).toBe('');
    expect(run([{ type: 'clear' }], s).entry).toBe('');
    expect(amountOf(run([{ type: 'clear' }], s))).toBe(0);
  });

  it('never goes past the largest amount a sale may carry', () => {
    const max = typed('100000000');
    expect(amountOf(max)).toBe(MAX_AMOUNT_HUNDREDTHS);
    expect(run(keys('0'), max).entry).toBe('100000000');
    expect(run(keys('.0'), max).entry).toBe('100000000.0');
    expect(run(keys('.01'), max).entry).toBe('100000000.0');
    expect(amountOf(typed('99999999.99'))).toBe(MAX_AMOUNT_HUNDREDTHS - 1);
    expect(typed('999999999').entry).toBe('99999999');
  });

  it('whatever is typed, the entry is digits with at most one separator and two decimals, and its amount is exact and in range', () => {
    const key = fc.constantFrom<EntryKey>('0', '1', '5', '9', '00', '.');
    fc.assert(
      fc.property(fc.array(fc.oneof(key.map((k) => ({ type: 'key', key: k }) as TillAction), fc.constant<TillAction>({ type: 'back' })), { maxLength: 40 }), (actions) => {
        const s = run(actions);
        expect(s.entry).toMatch(/^(?:|0|[1-9]\d*)(?:\.\d{0,2})?$/);
        const amount = amountOf(s);
        expect(Number.isSafeInteger(amount)).toBe(true);
        expect(amount).toBeGreaterThanOrEqual(0);
        expect(amount).toBeLessThanOrEqual(MAX_AMOUNT_HUNDREDTHS);
        const [whole = '0', cents = ''] = s.entry.split('.');
        expect(amount).toBe(Number(whole || 0) * 100 + Number(cents.padEnd(2, '0')));
      }),
    );
  });
});

describe('till: typing an amount in a currency without minor units (JPY)', () => {
  it('takes whole yen: 1250 is ¥1,250, that is 125000 hundredths', () => {
    const s = typed('1250', 'jpy');
    expect(s.entry).toBe('1250');
    expect(amountOf(s)).toBe(1250_00);
  });

  it('ignores the separator, and "00" means a hundred, never cents', () => {
    expect(typed('12.50', 'jpy').entry).toBe('1250');
    expect(typed('12,5', 'jpy').entry).toBe('125');
    expect(amountOf(run([{ type: 'currency', currency: 'jpy' }, ...keys('15'), { type: 'key', key: '00' }]))).toBe(1500_00);
    expect(typeKey('', '.', 'krw')).toBe('');
  });

  it('stops at the largest amount: ¥100,000,000', () => {
    const max = typed('100000000', 'jpy');
    expect(amountOf(max)).toBe(MAX_AMOUNT_HUNDREDTHS);
    expect(run(keys('0'), max).entry).toBe('100000000');
  });

  it('a change of currency starts the entry again ("12.5" means nothing in yen)', () => {
    const usd = typed('12.5');
    const jpy = run([{ type: 'currency', currency: 'jpy' }], usd);
    expect(jpy).toMatchObject({ entry: '', currency: 'jpy' });
    expect(run([{ type: 'currency', currency: 'usd' }], usd)).toBe(usd);
  });
});

describe('till: the amount entry helpers', () => {
  it('reads keyboard keys: digits and both separators, nothing else', () => {
    expect(['0', '9', '.', ',', 'a', 'Enter', ' ', '00'].map(entryKeyOf)).toEqual(['0', '9', '.', '.', null, null, null, null]);
  });

  it('asks for confirmation only above a threshold that is set', () => {
    expect(needsConfirmation(1_000_01, 1_000_00)).toBe(true);
    expect(needsConfirmation(1_000_00, 1_000_00)).toBe(false);
    expect(needsConfirmation(MAX_AMOUNT_HUNDREDTHS, 0)).toBe(false);
  });

  it('backspace on nothing is nothing', () => {
    expect(backspace('')).toBe('');
  });
});

describe('till: the large-amount question', () => {
  const asking = run([{ type: 'confirm', open: true }], typed('1500'));

  it('opens over the typed amount and freezes it until answered', () => {
    expect(asking.confirming).toBe(true);
    expect(run([...keys('9'), { type: 'back' }, { type: 'clear' }], asking)).toBe(asking);
  });

  it('Go back closes it and keeps the amount', () => {
    const back = run([{ type: 'confirm', open: false }], asking);
    expect(back).toMatchObject({ confirming: false, entry: '1500' });
    expect(run([{ type: 'confirm', open: false }], back)).toBe(back);
  });

  it('charging closes it; a refused charge leaves the amount to fix', () => {
    const charging = run([{ type: 'busy', busy: 'charge' }], asking);
    expect(charging.confirming).toBe(false);
    const refused = run([{ type: 'busy', busy: null }, { type: 'error', message: 'no' }], charging);
    expect(refused).toMatchObject({ confirming: false, entry: '1500', error: 'no' });
  });

  it('is never asked over a sale on screen, nor while a charge is running', () => {
    expect(run([{ type: 'charged', charge }, { type: 'confirm', open: true }], typed('1500')).confirming).toBe(false);
    expect(run([{ type: 'busy', busy: 'charge' }, { type: 'confirm', open: true }], typed('1500')).confirming).toBe(false);
  });
});

describe('till: PAID follows the ledger only', () => {
  const waiting = run([{ type: 'charged', charge }], typed('12.5'));

  it('a charged sale is waiting until the ledger says otherwise; typing is ignored', () => {
    expect(waiting.current).toMatchObject({ charge, sale: null });
    expect(tillReducer(waiting, { type: 'key', key: '5' }).entry).toBe('12.5');
    expect(tillReducer(waiting, { type: 'next-sale' })).toBe(waiting);
  });

  it('a paid sale is never moved back by an older pending answer; the next sale starts from nothing', () => {
    const paid = run([{ type: 'sale', sale: sale('paid', 20), cause: 'credited' }], waiting);
    expect(paid.current?.sale?.status).toBe('paid');
    const stale = run([{ type: 'sale', sale: sale('pending', 30), cause: null }], paid);
    expect(stale.current?.sale?.status).toBe('paid');
    expect(run([{ type: 'next-sale' }], paid)).toMatchObject({ entry: '', current: null, confirming: false });
  });

  it('a payment for a sale no longer on screen becomes a notice', () => {
    const other = { ...sale('paid', 50, { paidLate: true }), id: 3 };
    const state = run([{ type: 'sale', sale: other, cause: 'late' }], waiting);
    expect(state.notices.map((s) => s.id)).toEqual([3]);
    expect(state.current?.sale).toBeNull();
    expect(run([{ type: 'dismiss-notice', saleId: 3 }], state).notices).toEqual([]);
  });
});
