import type { z } from 'zod';
import { describeIssues } from '../app/errors';
import { LedgerError } from './errors';

/** Checks `value` against `schema`, or throws LedgerError('invalid-input') naming every problem. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new LedgerError('invalid-input', `Invalid ${what}: ${describeIssues(result.error.issues)}`, result.error.issues);
  }
  return result.data;
}
