import { describe, expect, it } from 'vitest';
import type { Sale, Tender } from '../../electron/shared/contract';
import { amountAsTyped, amountFromText } from '../../renderer/src/common/amount-text';
import { countedCash, overShortText, overShortTone } from '../../renderer/src/shifts/shift-text';
import {
  canRefundSale,
  canVoidSale,
  likelyMethod,
  refundArgs,
  refundDraftFor,
  refundProblem,
  refundQuestion,
  voidArgs,
  voidDraftFor,
  voidProblem,
} from '../../renderer/src/sales-log/sale/refund-form';

// The shift's cash count and the refund and void forms as plain data: what
// the person typed, what is wrong with it in words, and what is sent.

const tender = (kind: Tender['kind'], status: Tender['status'] = 'paid') => ({ kind, status }) as Tender;
const sale = (over: Partial<Sale> = {}) =>
  ({ id: 14, status: 'paid', paidAmount: 12_50, refundedAmount: 0, currency: 'usd', tenders: [tender('cash')], ...over }) as Sale;

describe('the shift’s cash count', () => {
  it('over or short in words, and its tone', () => {
    expect(overShortText(200, 'usd')).toBe('Over by $2.00');
    expect(overShortText(-50, 'usd')).toBe('Short by $0.50');
    expect(overShortText(0, 'usd')).toBe('Exact: the count matches what was expected');
    expect([overShortTone(1), overShortTone(-1), overShortTone(0)]).toEqual(['over', 'short', 'exact']);
  });

  it('reads a counted float or drawer; zero is a count, nothing typed is not', () => {
    expect(countedCash('150', 'usd', 'float')).toEqual({ amount: 150_00 });
    expect(countedCash(' 157.5 ', 'usd', 'count')).toEqual({ amount: 157_50 });
    expect(countedCash('0', 'usd', 'float')).toEqual({ amount: 0 });
    expect(countedCash('', 'usd', 'float')).toEqual({ error: expect.stringMatching(/0 when it is empty/) });
    expect(countedCash('  ', 'usd', 'count')).toEqual({ error: expect.stringMatching(/type what you counted/) });
    expect(countedCash('12.345', 'usd', 'count')).toEqual({ error: expect.stringMatching(/at most two decimals/) });
    expect(countedCash('12.5', 'jpy', 'count')).toEqual({ error: expect.stringMatching(/whole amount in JPY/) });
    expect(countedCash('1250', 'jpy', 'count')).toEqual({ amount: 1250_00 });
  });

  it('amounts as typed and back', () => {
    expect(amountAsTyped(12_50, 'usd')).toBe('12.50');
    expect(amountAsTyped(12_00, 'usd')).toBe('12');
    expect(amountAsTyped(1250_00, 'jpy')).toBe('1250');
    expect(amountFromText(' 5 ', 'usd')).toBe(5_00);
    expect(amountFromText('', 'usd')).toBeNull();
  });
});

describe('the refund form', () => {
  it('refunds a closed sale with money left to hand back; an open sale is voided instead', () => {
    expect(canRefundSale(sale())).toBe(true);
    expect(canRefundSale(sale({ refundedAmount: 12_50 }))).toBe(false);
    expect(canRefundSale(sale({ status: 'partly_paid', paidAmount: 5_00 }))).toBe(false);
    expect(canRefundSale(sale({ status: 'cancelled', paidAmount: 0 }))).toBe(false);
    expect(canVoidSale(sale({ status: 'partly_paid' }))).toBe(true);
    expect(canVoidSale(sale({ status: 'pending', paidAmount: 0 }))).toBe(true);
    expect(canVoidSale(sale())).toBe(false);
  });

  it('is prefilled with all that can still be refunded, going back the way it came', () => {
    expect(refundDraftFor(sale({ refundedAmount: 2_50 }))).toEqual({ amount: '10', method: 'cash', note: '' });
    expect(likelyMethod(sale({ tenders: [tender('code'), tender('cash', 'cancelled')] }))).toBe('code');
    expect(likelyMethod(sale({ tenders: [tender('other')] }))).toBe('other');
    expect(likelyMethod(sale({ tenders: [tender('code'), tender('cash')] }))).toBe('cash');
  });

  it('says what is wrong in words: an amount, more than is left, a missing note for Code or other', () => {
    const s = sale({ refundedAmount: 2_50 });
    expect(refundProblem({ amount: 'five', method: 'cash', note: '' }, s)).toMatch(/at most two decimals/);
    expect(refundProblem({ amount: '0', method: 'cash', note: '' }, s)).toMatch(/more than zero/);
    expect(refundProblem({ amount: '10.01', method: 'cash', note: '' }, s)).toBe('At most $10.00 can still be refunded on this sale.');
    expect(refundProblem({ amount: '10', method: 'code', note: '  ' }, s)).toMatch(/who the Code payment went to/);
    expect(refundProblem({ amount: '10', method: 'other', note: '' }, s)).toMatch(/how the money was handed back/);
    expect(refundProblem({ amount: '10', method: 'other', note: 'x'.repeat(201) }, s)).toMatch(/At most 200 characters/);
    expect(refundProblem({ amount: '10', method: 'cash', note: '' }, s)).toBeNull();
    expect(refundProblem({ amount: '1', method: 'cash', note: '' }, sale({ refundedAmount: 12_50 }))).toMatch(/Nothing left/);
  });

  it('sends the amount in hundredths, the method, and the note only when there is one; asks once more in words', () => {
    expect(refundArgs({ amount: '5', method: 'cash', note: ' ' }, sale())).toEqual({ saleId: 14, amount: 5_00, method: 'cash' });
    expect(refundArgs({ amount: '2.5', method: 'code', note: ' to Jo ' }, sale())).toEqual({ saleId: 14, amount: 2_50, method: 'code', note: 'to Jo' });
    expect(refundQuestion({ amount: '5', method: 'cash', note: '' }, sale())).toBe('Refund $5.00 on sale #14: cash back?');
    expect(refundQuestion({ amount: '5', method: 'code', note: 'Jo' }, sale())).toBe('Refund $5.00 on sale #14: sent back by code?');
  });
});

describe('the void form', () => {
  it('needs a reason; with money taken, how it goes back (a note for Code or other)', () => {
    const open = sale({ status: 'partly_paid', paidAmount: 5_00 });
    const none = sale({ status: 'pending', paidAmount: 0, tenders: [] });
    expect(voidDraftFor(open)).toEqual({ reason: '', method: 'cash', note: '' });
    expect(voidProblem({ reason: ' ', method: 'cash', note: '' }, open)).toMatch(/reason/);
    expect(voidProblem({ reason: 'Wrong amount', method: 'code', note: '' }, open)).toMatch(/who the Code payment went to/);
    expect(voidProblem({ reason: 'Wrong amount', method: 'code', note: '' }, none)).toBeNull();
    expect(voidProblem({ reason: 'Wrong amount', method: 'cash', note: '' }, sale())).toMatch(/refund a paid one/);
    expect(voidArgs({ reason: ' Wrong amount ', method: 'cash', note: '' }, open)).toEqual({ saleId: 14, reason: 'Wrong amount', method: 'cash' });
    expect(voidArgs({ reason: 'Wrong amount', method: 'other', note: 'card' }, open)).toEqual({ saleId: 14, reason: 'Wrong amount', method: 'other', note: 'card' });
    expect(voidArgs({ reason: 'Wrong amount', method: 'cash', note: '' }, none)).toEqual({ saleId: 14, reason: 'Wrong amount' });
  });
});
