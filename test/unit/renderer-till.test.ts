import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodePaymentView, RailHealth, Sale, Tender, TillSale, TipPrompt } from '../../electron/shared/contract';
import { tipPrompt as promptFor } from '../../electron/shared/domain/tip';
import { MAX_AMOUNT_HUNDREDTHS } from '../../electron/shared/domain/money';
import { changeGiven, codeNumbers, paidWithText, tenderDetail, tendersSummary, tenderTitle } from '../../renderer/src/common/tender-text';
import { backspace, entryAmount, entryKeyOf, needsConfirmation, typeKey, type EntryKey } from '../../renderer/src/till/amount-entry';
import { amountInputText, cashSuggestions, checkCash, checkOther } from '../../renderer/src/till/tender-entry';
import { checkCustomTip, presetForKey, tipLetter } from '../../renderer/src/till/tip-entry';
import {
  cancelBlockedReason,
  codeUnavailableNote,
  initialTill,
  isNewer,
  tillReducer,
  type CodeOffer,
  type TillAction,
  type TillState,
} from '../../renderer/src/till/till-state';

// The till's pure logic: what the cashier types becomes exactly the amount
// charged, and what the till shows follows the ledger's word alone.

const run = (actions: TillAction[], state: TillState = initialTill) => actions.reduce(tillReducer, state);
const keys = (text: string): TillAction[] => [...text].map((c) => ({ type: 'key', key: entryKeyOf(c)! }));
const typed = (text: string, currency = 'usd') => run([{ type: 'currency', currency }, ...keys(text)]);
const amountOf = (s: TillState) => entryAmount(s.entry, s.currency);

const tender = (id: number, seq: number, kind: Tender['kind'], amount: number, status: Tender['status'], extra: Partial<Tender> = {}): Tender => ({
  id, saleId: 7, seq, kind, amount, status, createdAt: 1, updatedAt: seq * 10, paidAt: status === 'paid' ? seq * 10 : null, cancelledAt: status === 'cancelled' ? seq * 10 : null,
  expiredAt: null, intentId: kind === 'code' ? `I${id}` : null, webhookUrl: null, quarks: null, exchangeRate: null, firstProof: status === 'paid' ? (kind === 'code' ? 'webhook' : 'manual') : null,
  paidLate: false, tendered: null, change: null, label: null, takenBy: null, ...extra,
});
const sale = (status: Sale['status'], updatedAt: number, extra: Partial<Sale> = {}): Sale => ({
  id: 7, ref: 'r', amount: 1250, tipAmount: 0, tipPercent: null, awaitingTip: false, tipChosenBy: null, currency: 'usd', mode: 'sandbox', status, destination: 'D', createdAt: 1, updatedAt,
  paidAt: status === 'paid' ? updatedAt : null, cancelledAt: null, expiredAt: null, firstProof: status === 'paid' ? 'webhook' : null, paidLate: false,
  paidAmount: status === 'paid' ? 1250 : 0, tenders: [], soldBy: null, shiftId: null, refundedAmount: 0, voidedAt: null, closedBy: null, ...extra,
});
const view = (tenderId: number, index: number, count: number, amount = 100): CodePaymentView => ({
  saleId: 7, tenderId, intentId: `I${tenderId}`, clientSecret: 's', amount, currency: 'usd', destination: 'D', mode: 'sandbox', webhookUrl: null, index, count,
});
const tillSale = (s: Sale, codePayment: CodePaymentView | null = null, codeNote: string | null = null, tipPrompt: TipPrompt | null = null): TillSale => ({
  sale: s,
  codePayment,
  codeNote,
  tipPrompt,
});

// The sandbox's default: US$1.00 at most per Code payment; a 2.50 sale is 1.00 + 1.00 + 0.50.
const split = (paid: number, status: Tender['status'][] = []) => {
  const tenders = status.map((st, i) => tender(i + 1, i + 1, 'code', i < 2 ? 100 : 50, st));
  return sale(paid === 250 ? 'paid' : paid > 0 ? 'partly_paid' : 'pending', 10 + status.length, { amount: 250, paidAmount: paid, tenders });
};
const charge = tillSale(sale('pending', 5, { tenders: [tender(1, 1, 'code', 1250, 'pending')] }), { ...view(1, 1, 1, 1250) });
const available: RailHealth = { state: 'available', checkedAt: 1 };
const offer = (rail: RailHealth = available): CodeOffer => ({ rail, limits: { min: 5, max: 100 }, currency: 'usd' });

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
    expect(run([{ type: 'charged', till: charge }, { type: 'confirm', open: true }], typed('1500')).confirming).toBe(false);
    expect(run([{ type: 'busy', busy: 'charge' }, { type: 'confirm', open: true }], typed('1500')).confirming).toBe(false);
  });
});

describe('till: PAID follows the ledger only', () => {
  const waiting = run([{ type: 'charged', till: charge }], typed('12.5'));
  const paidSale = sale('paid', 20, { tenders: [tender(1, 1, 'code', 1250, 'paid')] });

  it('a charged sale is open until the ledger says otherwise; typing is ignored', () => {
    expect(waiting.current).toMatchObject({ sale: charge.sale, codePayment: charge.codePayment, codeNote: null });
    expect(waiting.followUp).toBe(false);
    expect(tillReducer(waiting, { type: 'key', key: '5' }).entry).toBe('12.5');
    expect(tillReducer(waiting, { type: 'next-sale' })).toBe(waiting);
  });

  it('a paid sale is never moved back by an older pending answer; the next sale starts from nothing', () => {
    const paid = run([{ type: 'sale', sale: paidSale, cause: 'credited' }], waiting);
    expect(paid.current?.sale.status).toBe('paid');
    expect(paid.current?.codePayment).toBeNull();
    const stale = run([{ type: 'sale', sale: sale('pending', 30, { tenders: charge.sale.tenders }), cause: null }], paid);
    expect(stale.current?.sale.status).toBe('paid');
    // An answer that crossed the payment in flight does not bring the Code button back either.
    expect(run([{ type: 'till-sale', till: charge }], paid).current).toMatchObject({ sale: paidSale, codePayment: null });
    expect(run([{ type: 'next-sale' }], paid)).toMatchObject({ entry: '', current: null, confirming: false, form: null });
  });

  it('a payment for a sale no longer on screen becomes a notice, partly paid by a late Code payment too', () => {
    const other = { ...sale('paid', 50, { paidLate: true }), id: 3 };
    const state = run([{ type: 'sale', sale: other, cause: 'late' }], waiting);
    expect(state.notices.map((s) => s.id)).toEqual([3]);
    expect(state.current?.sale).toBe(charge.sale);
    expect(run([{ type: 'dismiss-notice', saleId: 3 }], state).notices).toEqual([]);
    const partly = { ...sale('partly_paid', 60, { paidLate: true, paidAmount: 100 }), id: 4 };
    expect(run([{ type: 'sale', sale: partly, cause: 'late' }], waiting).notices.map((s) => s.id)).toEqual([4]);
    // A Code payment of another open sale that leaves it owing is not news for the till.
    expect(run([{ type: 'sale', sale: { ...partly, id: 5, paidLate: false }, cause: 'credited' }], waiting).notices).toEqual([]);
  });
});

describe('till: which word on the sale is newer', () => {
  it('paid never goes back; money taken never shrinks; then the status, then the latest change to the sale or a tender', () => {
    expect(isNewer(null, sale('pending', 1))).toBe(true);
    expect(isNewer(sale('paid', 5), sale('cancelled', 9))).toBe(false);
    expect(isNewer(split(100), split(0))).toBe(false);
    expect(isNewer(split(0), split(100))).toBe(true);
    expect(isNewer(sale('pending', 5), sale('cancelled', 5))).toBe(true);
    expect(isNewer(sale('cancelled', 5), sale('pending', 9))).toBe(false);
    // A late Code payment reopens a cancelled sale as partly paid: money arrived, it must show.
    expect(isNewer(sale('cancelled', 5), split(100))).toBe(true);
    // Same sale row, but a tender changed since (a new Code payment, a cancelled one).
    const before = sale('partly_paid', 10, { paidAmount: 100, tenders: [tender(1, 1, 'code', 100, 'paid')] });
    const after = { ...before, tenders: [...before.tenders, tender(2, 2, 'code', 100, 'pending')] };
    expect(isNewer(before, after)).toBe(true);
    expect(isNewer(after, before)).toBe(false);
  });
});

describe('till: a sale taken in several Code payments', () => {
  const first = run([{ type: 'charged', till: tillSale(split(0, ['pending']), view(1, 1, 3)) }], typed('2.5'));

  it('shows Code payment 1 of 3 and, once it is credited, asks for the next by itself', () => {
    expect(first.current?.codePayment).toMatchObject({ index: 1, count: 3 });
    const credited = run([{ type: 'sale', sale: split(100, ['paid']), cause: 'credited' }], first);
    expect(credited.current).toMatchObject({ codePayment: null, sale: { status: 'partly_paid', paidAmount: 100 } });
    expect(credited.followUp).toBe(true);
    // The answer brings payment 2 of 3; nothing more to ask.
    const second = run([{ type: 'till-sale', till: tillSale(split(100, ['paid', 'pending']), view(2, 2, 3)) }], credited);
    expect(second.current?.codePayment).toMatchObject({ tenderId: 2, index: 2, count: 3 });
    expect(second.followUp).toBe(false);
    // Payment 3 of 3 pays the sale: PAID, no more asking.
    const third = run(
      [
        { type: 'sale', sale: split(200, ['paid', 'paid']), cause: 'credited' },
        { type: 'till-sale', till: tillSale(split(200, ['paid', 'paid', 'pending']), view(3, 3, 3, 50)) },
        { type: 'sale', sale: split(250, ['paid', 'paid', 'paid']), cause: 'credited' },
      ],
      second,
    );
    expect(third.current).toMatchObject({ codePayment: null, sale: { status: 'paid' } });
    expect(third.followUp).toBe(false);
  });

  it('a duplicate proof, or a pushed event older than the answer, asks for nothing', () => {
    const second = run([{ type: 'till-sale', till: tillSale(split(100, ['paid', 'pending']), view(2, 2, 3)) }], first);
    expect(run([{ type: 'sale', sale: split(100, ['paid', 'pending']), cause: 'duplicate' }], second)).toMatchObject({ followUp: false });
    expect(run([{ type: 'sale', sale: split(100, ['paid']), cause: 'credited' }], second).current?.codePayment).toMatchObject({ tenderId: 2 });
  });

  it('a Code payment the ledger shows waiting, that the till has no view of, is asked for (the main process answers the waiting one)', () => {
    const restored = run([{ type: 'charged', till: tillSale(split(100, ['paid', 'pending'])) }], initialTill);
    expect(restored.followUp).toBe(true);
    const seen = run([{ type: 'sale', sale: split(100, ['paid', 'pending']), cause: null }], run([{ type: 'charged', till: tillSale(split(100, ['paid'])) }], initialTill));
    expect(seen.followUp).toBe(true);
  });

  it('a refusal the main process explains ends the asking; the note shows', () => {
    const credited = run([{ type: 'sale', sale: split(100, ['paid']), cause: 'credited' }], first);
    const refused = run([{ type: 'till-sale', till: tillSale(split(100, ['paid', 'cancelled']), null, 'The Code payment request was refused (x): take cash or another tender.') }], credited);
    expect(refused).toMatchObject({ followUp: false, current: { codePayment: null, codeNote: expect.stringMatching(/refused/) } });
  });

  it('the till says why it does not ask: Code unavailable, or the rest below Code’s minimum', () => {
    const rest = split(100, ['paid']);
    expect(codeUnavailableNote(rest, offer())).toBeNull();
    expect(codeUnavailableNote(rest, null)).toBeNull();
    expect(codeUnavailableNote(rest, offer({ state: 'unavailable', reason: 'no payment service', detail: 'UNIMPLEMENTED', checkedAt: 1 }))).toBe(
      'Code payments are unavailable (no payment service): take cash or another tender.',
    );
    // Offline is not unavailable: the request is tried, and its answer says what happened.
    expect(codeUnavailableNote(rest, offer({ state: 'unknown', reason: 'offline', checkedAt: null }))).toBeNull();
    const small = { ...rest, amount: 103 };
    expect(codeUnavailableNote(small, offer())).toBe("The rest, $0.03, is below Code's minimum of $0.05: take it in cash or another tender.");
    // Limits in another currency say nothing about this sale's rest.
    expect(codeUnavailableNote({ ...small, currency: 'eur' }, offer())).toBeNull();
    const noted = run([{ type: 'sale', sale: rest, cause: 'credited' }, { type: 'code-note', note: 'why' }], first);
    expect(noted).toMatchObject({ followUp: false, current: { codeNote: 'why' } });
  });
});

describe('till: cash and other tenders', () => {
  const partly = run([{ type: 'charged', till: tillSale(split(100, ['paid', 'pending']), view(2, 2, 3)) }], typed('2.5'));

  it('opens one form at a time, only over an open sale; a paid sale closes it', () => {
    const cash = run([{ type: 'form', form: 'cash' }], partly);
    expect(cash.form).toBe('cash');
    expect(run([{ type: 'form', form: 'other' }], cash).form).toBe('other');
    expect(run([{ type: 'form', form: 'cash' }], initialTill).form).toBeNull();
    const paidByCash = split(250, ['paid', 'cancelled']);
    paidByCash.tenders.push(tender(4, 4, 'cash', 150, 'paid', { tendered: 500, change: 350 }));
    const paid = run([{ type: 'till-sale', till: tillSale(paidByCash) }], cash);
    expect(paid).toMatchObject({ form: null, followUp: false, current: { codePayment: null, sale: { status: 'paid' } } });
    expect(run([{ type: 'form', form: 'cash' }], paid).form).toBeNull();
  });

  it('cash short of the rest leaves the sale partly paid, with no Code payment asked for by itself', () => {
    const short = split(150, ['paid', 'cancelled']);
    short.tenders.push(tender(4, 4, 'cash', 50, 'paid', { tendered: 50, change: 0 }));
    const state = run([{ type: 'till-sale', till: tillSale(short) }], partly);
    expect(state).toMatchObject({ followUp: false, current: { codePayment: null, sale: { status: 'partly_paid', paidAmount: 150 } } });
  });

  it('a sale with money taken cannot be cancelled here', () => {
    expect(cancelBlockedReason(split(0))).toBeNull();
    expect(cancelBlockedReason(split(100))).toBe('$1.00 of this sale is paid, so it cannot be cancelled here: take the rest in cash or another tender.');
  });

  it('reads cash as typed: the change to give, or what is still owed', () => {
    expect(checkCash('5', 150, 'usd')).toEqual({ ok: true, tendered: 500, change: 350, rest: 0 });
    expect(checkCash('1.50', 150, 'usd')).toEqual({ ok: true, tendered: 150, change: 0, rest: 0 });
    expect(checkCash('1', 150, 'usd')).toEqual({ ok: true, tendered: 100, change: 0, rest: 50 });
    expect(checkCash(' 2,5 ', 150, 'usd')).toMatchObject({ ok: true, tendered: 250 });
    expect(checkCash('', 150, 'usd')).toEqual({ ok: false, message: null });
    expect(checkCash('0', 150, 'usd')).toEqual({ ok: false, message: 'Type the cash the customer handed over.' });
    expect(checkCash('1.505', 150, 'usd')).toMatchObject({ ok: false, message: expect.stringMatching(/at most two decimals/) });
    expect(checkCash('12.5', 1000_00, 'jpy')).toMatchObject({ ok: false, message: expect.stringMatching(/whole amount in JPY/) });
    expect(checkCash('2000', 1250_00, 'jpy')).toEqual({ ok: true, tendered: 2000_00, change: 750_00, rest: 0 });
  });

  it('prefills what is owed as the cashier would type it, and offers round sums above it', () => {
    expect(amountInputText(150, 'usd')).toBe('1.50');
    expect(amountInputText(1250_00, 'jpy')).toBe('1250');
    expect(cashSuggestions(150)).toEqual([200, 500, 1000]);
    expect(cashSuggestions(100)).toEqual([200, 500, 1000]);
    expect(cashSuggestions(1375)).toEqual([1400, 1500, 2000]);
    expect(cashSuggestions(1250_00)).toEqual([1300_00, 1400_00, 1500_00]);
    expect(cashSuggestions(0)).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_AMOUNT_HUNDREDTHS }), (owed) => {
        const offered = cashSuggestions(owed);
        if (owed <= 1_000_000_00) expect(offered.length).toBeGreaterThan(0);
        expect(offered.every((n) => n > owed && n % 100 === 0 && n <= MAX_AMOUNT_HUNDREDTHS)).toBe(true);
        expect([...offered].sort((a, b) => a - b)).toEqual(offered);
        expect(new Set(offered).size).toBe(offered.length);
      }),
    );
  });

  it('another tender says what it was, and pays at most what is owed (no change on a card)', () => {
    expect(checkOther(' Card ', '1.50', 150, 'usd')).toEqual({ ok: true, amount: 150, label: 'Card' });
    expect(checkOther('Card', '1', 150, 'usd')).toEqual({ ok: true, amount: 100, label: 'Card' });
    expect(checkOther('Card', '2', 150, 'usd')).toEqual({ ok: false, field: 'amount', message: 'At most $1.50, what the sale still owes.' });
    expect(checkOther('Card', '0', 150, 'usd')).toMatchObject({ ok: false, field: 'amount' });
    expect(checkOther('Card', 'abc', 150, 'usd')).toMatchObject({ ok: false, field: 'amount' });
    expect(checkOther('  ', '1', 150, 'usd')).toMatchObject({ ok: false, field: 'label' });
    expect(checkOther('x'.repeat(41), '1', 150, 'usd')).toMatchObject({ ok: false, field: 'label' });
  });
});

describe('tenders in words', () => {
  const mixed = split(250, ['paid', 'cancelled']);
  mixed.tenders.push(tender(3, 3, 'cash', 100, 'paid', { tendered: 500, change: 350 }));
  mixed.tenders.push(tender(4, 4, 'other', 50, 'paid', { label: 'Card' }));

  it('numbers Code payments as k of n: a declined attempt shares the number of the one after it', () => {
    const s = split(100, ['paid', 'cancelled']);
    s.tenders.push(tender(3, 3, 'code', 100, 'pending'));
    const numbers = codeNumbers(s, { tenderId: 3, index: 2, count: 3 });
    expect([...numbers]).toEqual([
      [1, { k: 1, n: 3 }],
      [2, { k: 2, n: 3 }],
      [3, { k: 2, n: 3 }],
    ]);
    expect(tenderTitle(s.tenders[2]!, numbers)).toBe('Code payment 2 of 3');
    // Without the plan on screen: the ones paid or waiting.
    expect(tenderTitle(s.tenders[0]!, codeNumbers(s))).toBe('Code payment 1 of 2');
    // One Code payment is just a Code payment.
    expect(tenderTitle(charge.sale.tenders[0]!, codeNumbers(charge.sale))).toBe('Code payment');
    // Paid by one Code payment after a declined one, then cash: how many Code payments it "took" is not a count worth showing.
    expect(mixed.tenders.map((t) => tenderTitle(t, codeNumbers(mixed)))).toEqual(['Code payment 1', 'Code payment 2', 'Cash', 'Card (other)']);
  });

  it('names cash with what was handed over and the change, and other tenders by their label', () => {
    expect(tenderTitle(mixed.tenders[2]!, codeNumbers(mixed))).toBe('Cash');
    expect(tenderDetail(mixed.tenders[2]!, 'usd')).toBe('tendered $5.00 · change $3.50');
    expect(tenderDetail(tender(9, 9, 'cash', 100, 'paid', { tendered: 100, change: 0 }), 'usd')).toBe('tendered $1.00, exact');
    expect(tenderTitle(mixed.tenders[3]!, codeNumbers(mixed))).toBe('Card (other)');
    expect(tenderDetail(mixed.tenders[3]!, 'usd')).toBeNull();
    expect(changeGiven(mixed)).toBe(350);
    expect(paidWithText(mixed)).toBe('Paid with Code, cash and Card');
    expect(paidWithText(split(250, ['paid', 'paid', 'paid']))).toBe('Paid with Code');
    expect(paidWithText(split(0, ['cancelled']))).toBeNull();
    expect(tendersSummary(mixed)).toBe('Code + Cash + Card');
    expect(tendersSummary(split(250, ['paid', 'paid', 'paid']))).toBe('Code ×3');
    expect(tendersSummary(split(0, ['cancelled']))).toBe('—');
  });
});

describe('till: the tip, while the sale waits for it', () => {
  // $12.50 with presets 10 / 15 / 20 %: $1.25, $1.88 (1.875 rounds half up), $2.50.
  const prompt = promptFor(1250, { presets: [10, 15, 20], custom: true });
  const awaiting = sale('pending', 5, { awaitingTip: true });
  const asked = run([{ type: 'charged', till: tillSale(awaiting, null, null, prompt) }], typed('12.5'));
  const tipped = (by: Sale['tipChosenBy'], tipAmount: number, tipPercent: number | null, updatedAt = 6) =>
    sale('pending', updatedAt, { tipAmount, tipPercent, tipChosenBy: by });

  it('holds the choice on screen, offers no tender form, and asks Code for nothing', () => {
    expect(prompt.options).toEqual([
      { percent: 10, amount: 125 },
      { percent: 15, amount: 188 },
      { percent: 20, amount: 250 },
    ]);
    expect(asked.current).toMatchObject({ tipPrompt: prompt, codePayment: null });
    expect(asked.followUp).toBe(false);
    expect(run([{ type: 'form', form: 'cash' }], asked).form).toBeNull();
    expect(run([{ type: 'form', form: 'other' }], asked).form).toBeNull();
  });

  it('lets go of the choice when the ledger says the tip is chosen, here or on the customer display', () => {
    const byCustomer = run([{ type: 'sale', sale: tipped('customer', 188, 15), cause: 'tipped' }], asked);
    expect(byCustomer.current).toMatchObject({ tipPrompt: null, cause: 'tipped', sale: { tipAmount: 188, awaitingTip: false } });
    // The first Code payment, started by the main process for the tipped total, is then asked for like any waiting one.
    const started = tipped('customer', 188, 15, 7);
    started.tenders = [tender(1, 1, 'code', 1438, 'pending')];
    expect(run([{ type: 'sale', sale: started, cause: 'created' }], byCustomer).followUp).toBe(true);
    // The cashier's own choice answers with the Code payment at once.
    const byCashier = run([{ type: 'till-sale', till: tillSale({ ...started, tipChosenBy: 'cashier' }, view(1, 1, 1, 1438)) }], asked);
    expect(byCashier).toMatchObject({ followUp: false, current: { tipPrompt: null, codePayment: { amount: 1438 } } });
  });

  it('never asks again for a tip once chosen: an older word still waiting for it is ignored', () => {
    const chosen = run([{ type: 'sale', sale: tipped('cashier', 0, null), cause: 'tipped' }], asked);
    expect(isNewer(chosen.current!.sale, { ...awaiting, updatedAt: 6 })).toBe(false);
    expect(run([{ type: 'sale', sale: { ...awaiting, updatedAt: 6 }, cause: null }], chosen).current).toMatchObject({ tipPrompt: null, sale: { awaitingTip: false } });
    expect(run([{ type: 'till-sale', till: tillSale({ ...awaiting, updatedAt: 6 }, null, null, prompt) }], chosen).current?.tipPrompt).toBeNull();
  });

  it('keeps the choice through a re-read of the sale that still waits (getSale has no prompt)', () => {
    expect(run([{ type: 'sale', sale: { ...awaiting, updatedAt: 9 }, cause: null }], asked).current?.tipPrompt).toEqual(prompt);
    // Cancelled while waiting: nothing is offered any more.
    expect(run([{ type: 'sale', sale: sale('cancelled', 9, { awaitingTip: true, cancelledAt: 9 }), cause: 'cancelled' }], asked).current?.tipPrompt).toBeNull();
  });

  it('picks the presets with the keys 1 to 4 in their order, N for no tip, C for another amount when allowed', () => {
    expect(presetForKey('1', prompt)).toEqual({ kind: 'percent', percent: 10 });
    expect(presetForKey('3', prompt)).toEqual({ kind: 'percent', percent: 20 });
    expect(presetForKey('4', prompt)).toBeNull();
    expect(presetForKey('0', prompt)).toBeNull();
    expect(presetForKey('.', prompt)).toBeNull();
    expect(tipLetter('n', prompt)).toBe('none');
    expect(tipLetter('N', prompt)).toBe('none');
    expect(tipLetter('c', prompt)).toBe('custom');
    expect(tipLetter('C', { ...prompt, custom: false })).toBeNull();
    expect(tipLetter('x', prompt)).toBeNull();
  });

  it('checks a custom tip as typed: an amount of the currency, 0 to the sale’s own amount, never negative', () => {
    expect(checkCustomTip('', 1250, prompt, 'usd')).toEqual({ ok: false, message: null });
    expect(checkCustomTip('2', 1250, prompt, 'usd')).toEqual({ ok: true, amount: 200, total: 1450 });
    expect(checkCustomTip(' 1,5 ', 1250, prompt, 'usd')).toEqual({ ok: true, amount: 150, total: 1400 });
    expect(checkCustomTip('0', 1250, prompt, 'usd')).toEqual({ ok: true, amount: 0, total: 1250 });
    expect(checkCustomTip('12.50', 1250, prompt, 'usd')).toMatchObject({ ok: true, amount: 1250 });
    expect(checkCustomTip('12.51', 1250, prompt, 'usd')).toEqual({ ok: false, message: "At most $12.50, the sale's own amount." });
    expect(checkCustomTip('-1', 1250, prompt, 'usd')).toEqual({ ok: false, message: 'A tip is never negative: type 0 or No tip for none.' });
    expect(checkCustomTip('1.005', 1250, prompt, 'usd')).toMatchObject({ ok: false, message: expect.stringMatching(/at most two decimals/) });
    expect(checkCustomTip('abc', 1250, prompt, 'usd')).toMatchObject({ ok: false, message: expect.stringMatching(/Type an amount in USD/) });
    expect(checkCustomTip('1.5', 1000_00, { maxCustom: 1000_00 }, 'jpy')).toMatchObject({ ok: false, message: expect.stringMatching(/whole amount in JPY/) });
    // The total stays within what Counter takes for one sale.
    const big = MAX_AMOUNT_HUNDREDTHS - 100;
    expect(checkCustomTip('2', big, { maxCustom: big }, 'usd')).toMatchObject({ ok: false, message: expect.stringMatching(/the most Counter takes for one sale/) });
  });
});
