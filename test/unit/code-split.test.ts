import { describe, expect, it } from 'vitest';
import { splitCodePayments } from '../../electron/shared/domain/code-split';
import { codeTableRange, maximumFromRefusal } from '../../electron/shared/domain/payment-limits';
import { prng as createPrng } from '../support/prng';

// How a sale above Code's per-payment maximum is split into Code payments.

describe('splitCodePayments', () => {
  it.each<[number, number, number, number[]]>([
    [202, 100, 5, [100, 97, 5]],
    [250, 100, 5, [100, 100, 50]],
    [1250, 500, 5, [500, 500, 250]],
    [100, 100, 5, [100]],
    [101, 100, 5, [96, 5]],
    [105, 100, 5, [100, 5]],
    [5, 100, 5, [5]],
    [4, 100, 5, []],
    [0, 100, 5, []],
    // A narrow range falls back to even parts.
    [13, 7, 5, [7, 6]],
    [11, 6, 5, [6, 5]],
    // No way to make 7 from parts of exactly 5.
    [7, 5, 5, []],
  ])('%i with max %i and min %i is %j', (amount, max, min, parts) => {
    expect(splitCodePayments(amount, max, min)).toEqual(parts);
  });

  it('refuses fractions and a range that is not one', () => {
    expect(() => splitCodePayments(1.5, 100, 5)).toThrow(RangeError);
    expect(() => splitCodePayments(100, 100.5, 5)).toThrow(RangeError);
    expect(() => splitCodePayments(100, 4, 5)).toThrow(/0 < min <= max/);
    expect(() => splitCodePayments(100, 100, 0)).toThrow(/0 < min <= max/);
  });

  it('over many random amounts and ranges: every part within [min, max], the parts sum to the amount, as few as possible', () => {
    const random = createPrng(0xc0de);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let i = 0; i < 20_000; i++) {
      const min = int(1, 500);
      const max = int(min, min * (random() < 0.2 ? 2 : 40));
      const amount = int(0, max * int(1, 30) + int(0, max));
      const parts = splitCodePayments(amount, max, min);
      const fewest = Math.ceil(amount / max);
      // Some count k has k*min <= amount <= k*max exactly when the fewest count does.
      const possible = amount >= min && fewest * min <= amount;
      if (!possible) {
        expect(parts, `${amount} in ${min}..${max}`).toEqual([]);
        continue;
      }
      expect(parts.length, `${amount} in ${min}..${max}`).toBe(fewest);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
      for (const part of parts) {
        expect(Number.isSafeInteger(part)).toBe(true);
        expect(part).toBeGreaterThanOrEqual(min);
        expect(part).toBeLessThanOrEqual(max);
      }
    }
  });

  it('every currency of Code’s table splits any amount its minimum allows', () => {
    const random = createPrng(7);
    for (const currency of ['usd', 'eur', 'jpy', 'kwd', 'clf', 'kin', 'idr']) {
      const range = codeTableRange(currency)!;
      for (let i = 0; i < 500; i++) {
        const amount = range.min + Math.floor(random() * range.max * 50);
        const parts = splitCodePayments(amount, range.max, range.min);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
        expect(parts.every((p) => p >= range.min && p <= range.max)).toBe(true);
      }
    }
  });
});

describe('maximumFromRefusal', () => {
  it.each<[string, number | null]>([
    ['usd currency has a maximum amount of 1.00', 100],
    ['Code refused the payment request: usd currency has a maximum amount of 5.00.', 500],
    ['jpy currency has a maximum amount of 100', 100_00],
    ['eur currency has a maximum amount of 2.5', 250],
    ['usd currency has a minimum amount of 0.05', null],
    ['unknown method Messaging.sendMessage', null],
    ['usd currency has a maximum amount of 0.00', null],
  ])('%j → %j', (message, hundredths) => {
    expect(maximumFromRefusal(message)).toBe(hundredths);
  });
});
