import { CounterError } from '../app/errors';
import type { CounterCore } from '../app/counter-core';
import type { Implementations } from './implementations';

/** STUB (issue 15, helper B builds it): refunds and voids. */
export type RefundMethods = 'refundSale' | 'voidSale' | 'printRefund';

const notBuilt = (): never => {
  throw new CounterError('not-built', 'Not built yet.');
};

export function refundHandlers(core: CounterCore): Pick<Implementations, RefundMethods> {
  void core;
  return { refundSale: notBuilt, voidSale: notBuilt, printRefund: notBuilt };
}
