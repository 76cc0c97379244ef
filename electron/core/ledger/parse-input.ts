import type { z } from 'zod';
import { LedgerError } from './errors';

/** Checks `value` against `schema`, or throws LedgerError('invalid-input') naming every problem. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new LedgerError('invalid-input', `Invalid ${what}: ${issues.join('; ')}`, result.error.issues);
  }
  return result.data;
}
