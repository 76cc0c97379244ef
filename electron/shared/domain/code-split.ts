// How an amount above Code's per-payment maximum is taken as consecutive
// Code payments: each at most the maximum and at least Code's minimum, so a
// remainder below the minimum never becomes a payment Code would refuse.
// All amounts are integer hundredths.

/**
 * The Code payments that take `amount`: [] when the amount is below the
 * minimum (Code cannot take it), else parts of `max` with the last one
 * raised to the minimum by lowering the one before it:
 * 2.02 with max 1.00 and min 0.05 is [1.00, 0.97, 0.05], never [1.00, 1.00, 0.02].
 */
export function splitCodePayments(amount: number, max: number, min: number): number[] {
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(max) || !Number.isSafeInteger(min)) {
    throw new RangeError('amounts must be whole hundredths');
  }
  if (min <= 0 || max < min) throw new RangeError(`a Code payment range needs 0 < min <= max (got ${min}..${max})`);
  if (amount < min) return [];
  const count = Math.ceil(amount / max);
  const parts: number[] = Array.from({ length: count }, () => max);
  const last = amount - max * (count - 1);
  parts[count - 1] = last;
  if (last < min && count > 1) {
    // Lower the one before; it stays at least `min` while max >= 2 * min - last,
    // which holds for every row of Code's table (max is 20 times min).
    const shortfall = min - last;
    parts[count - 2] = max - shortfall;
    parts[count - 1] = min;
    if (parts[count - 2]! < min) return evenSplit(amount, count, min);
  }
  return parts;
}

/** A fallback for a narrow range (max close to min): the amount spread evenly, largest parts first. */
function evenSplit(amount: number, count: number, min: number): number[] {
  const base = Math.floor(amount / count);
  if (base < min) return [];
  const extra = amount - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < extra ? 1 : 0));
}
