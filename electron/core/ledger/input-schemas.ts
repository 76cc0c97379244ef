import { z } from 'zod';
import { normalizeCurrency } from '../../shared/domain/money';
import { ROLES } from '../../shared/domain/people';

// The input shapes several stores check alike.

export const positiveId = z.number().int().positive();

/** A currency code Code takes, normalised to the ledger's lower case. */
export const currencyInput = z.string().transform((value, ctx) => {
  const code = normalizeCurrency(value);
  if (!code) {
    ctx.addIssue({ code: 'custom', message: `unknown currency "${value}"` });
    return z.NEVER;
  }
  return code;
});

/** Who did it, as the stores record it (the person's id, name and role). */
export const actorInput = z.object({ id: positiveId, name: z.string(), role: z.enum(ROLES) });
