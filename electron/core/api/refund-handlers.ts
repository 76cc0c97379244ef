import { CounterError } from '../app/errors';
import type { CounterCore } from '../app/counter-core';
import type { CallContext } from './call-context';
import type { Implementations } from './implementations';

/** Refunds and voids (managers and the owner), and a refund's receipt printed again. */
export type RefundMethods = 'refundSale' | 'voidSale' | 'printRefund';

/**
 * Who is asking. The access guard lets only a signed-in person through to
 * these methods (never in setup, never locked); this is the last word on
 * it, since a refund and a void always name the person who made them.
 */
function personOf(ctx: CallContext) {
  if (!ctx.actor) throw new CounterError('owner-needed', 'Refunds and voids are recorded with who made them: create the owner first (Settings → Owner).');
  return ctx.actor;
}

export function refundHandlers(core: CounterCore): Pick<Implementations, RefundMethods> {
  return {
    refundSale: ({ saleId, amount, method, note }, ctx) =>
      core.refunds.refund(personOf(ctx), { saleId, amount, method, ...(note !== undefined ? { note } : {}) }),
    voidSale: ({ saleId, reason, method, note }, ctx) =>
      core.refunds.void(personOf(ctx), { saleId, reason, ...(method ? { method } : {}), ...(note !== undefined ? { note } : {}) }),
    printRefund: ({ refundId }, ctx) => {
      personOf(ctx);
      // Refused for an unknown refund before anything is queued.
      core.refunds.get(refundId);
      return core.printing.enqueueRefund(refundId, 'manual')[0]!;
    },
  };
}
