import type { Actor } from '../../shared/domain/people';
import type { Refund, RefundMethod } from '../../shared/domain/refund';
import type { Sale } from '../../shared/domain/sale';
import { CounterError } from '../app/errors';
import type { Logger } from '../app/logger';
import type { Ledger } from '../ledger/ledger';

/**
 * STUB (issue 15, helper B builds it): refunds recorded against paid sales,
 * and voids of open sales.
 */
export class RefundError extends CounterError {
  override readonly name = 'RefundError';
}

export interface RefundService {
  refund(by: Actor, input: { saleId: number; amount: number; method: RefundMethod; note?: string }): { sale: Sale; refund: Refund };
  void(by: Actor, input: { saleId: number; reason: string; method?: RefundMethod; note?: string }): { sale: Sale; refunds: Refund[] };
  refundsOf(saleId: number): Refund[];
  get(refundId: number): Refund;
}

export interface RefundServiceOptions {
  ledger: Ledger;
  /** Tells the screens a sale changed (its refunded amount). */
  publishSale: (sale: Sale) => void;
  logger: Logger;
}

export function createRefundService(options: RefundServiceOptions): RefundService {
  void options;
  const notBuilt = (): never => {
    throw new RefundError('not-built', 'Refunds are not built yet.');
  };
  return { refund: notBuilt, void: notBuilt, refundsOf: () => [], get: notBuilt };
}
