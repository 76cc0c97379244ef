import type { CounterCore } from '../app/counter-core';
import { personOf } from './access-guard';
import type { Implementations } from './implementations';

/** Refunds and voids (managers and the owner), and a refund's receipt printed again. */
export type RefundMethods = 'refundSale' | 'voidSale' | 'printRefund';

export function refundHandlers(core: CounterCore): Pick<Implementations, RefundMethods> {
  return {
    refundSale: ({ saleId, amount, method, note }, ctx) =>
      core.refunds.refund(personOf(ctx, core), { saleId, amount, method, ...(note !== undefined ? { note } : {}) }),
    voidSale: ({ saleId, reason, method, note }, ctx) =>
      core.refunds.void(personOf(ctx, core), { saleId, reason, ...(method ? { method } : {}), ...(note !== undefined ? { note } : {}) }),
    printRefund: ({ refundId }, ctx) => {
      personOf(ctx, core);
      // Refused for an unknown refund before anything is queued.
      core.refunds.get(refundId);
      return core.printing.enqueueRefund(refundId, 'manual')[0]!;
    },
  };
}
