import { formatMoney } from '../../shared/domain/money';
import type { Actor } from '../../shared/domain/people';
import type { PrintJob } from '../../shared/domain/printer';
import { refundable, REFUND_METHOD_WORDS, type Refund, type RefundMethod } from '../../shared/domain/refund';
import { isOpen, type Sale } from '../../shared/domain/sale';
import { CounterError } from '../app/errors';
import { silentLogger, type Logger } from '../app/logger';
import { LedgerError } from '../ledger/errors';
import type { Ledger } from '../ledger/ledger';

/**
 * Refunds and voids, as a manager makes them (the access guard lets no one
 * else call them). Code has no refund API: a refund records money the shop
 * handed back against a sale that took some, cash from this shift's drawer,
 * sent back from the shop's Code wallet, or another way. A void closes an
 * open sale, handing back what it took. The rules are checked here first,
 * in the manager's words, and again by the ledger inside its transaction
 * (two tills at once cannot refund the same money twice); a refusal writes
 * nothing. A refund's receipt is queued when a printer is set, and a
 * printer problem never fails the refund.
 */
export class RefundError extends CounterError {
  override readonly name = 'RefundError';
}

export interface RefundService {
  /** Records a refund; `printJobs` are the receipt jobs queued for it (none without a printer). */
  refund(by: Actor, input: { saleId: number; amount: number; method: RefundMethod; note?: string }): { sale: Sale; refund: Refund; printJobs: PrintJob[] };
  void(by: Actor, input: { saleId: number; reason: string; method?: RefundMethod; note?: string }): { sale: Sale; refunds: Refund[] };
  refundsOf(saleId: number): Refund[];
  get(refundId: number): Refund;
}

export interface RefundServiceOptions {
  ledger: Pick<Ledger, 'getSale' | 'refunds'>;
  /** Tells the screens a sale changed: refunded, or voided. */
  publishSale: (sale: Sale, cause: 'refunded' | 'voided') => void;
  /** The print queue's automatic refund receipt (at most once per refund; nothing without a printer). */
  printRefund?: (refundId: number) => PrintJob[];
  logger?: Logger;
}

/** The ledger's refusals, as the manager reads them: the ledger's message is already in their words. */
const LEDGER_CODES: Partial<Record<LedgerError['code'], string>> = {
  'not-found': 'not-found',
  'invalid-input': 'invalid-input',
  'invalid-transition': 'invalid-transition',
  'too-much': 'too-much',
  'no-shift': 'no-shift',
  'note-needed': 'note-needed',
};

export function createRefundService(options: RefundServiceOptions): RefundService {
  const { ledger } = options;
  const log = (options.logger ?? silentLogger).child('refunds');
  const money = (n: number, currency: string) => formatMoney(n, currency, 'en');

  function ledgerCall<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof LedgerError) throw new RefundError(LEDGER_CODES[error.code] ?? 'ledger-error', error.message, { cause: error });
      throw error;
    }
  }

  function saleOf(saleId: number): Sale {
    return ledgerCall(() => ledger.getSale(saleId));
  }

  function noteOf(method: RefundMethod, note: string | undefined): string | null {
    const text = note?.trim() || null;
    if (method === 'code' && !text) throw new RefundError('note-needed', 'Say to whom the refund was sent by Code (a note), so it can be traced.');
    if (method === 'other' && !text) throw new RefundError('note-needed', 'Say how the refund was handed back (a note).');
    return text;
  }

  function refund(by: Actor, input: { saleId: number; amount: number; method: RefundMethod; note?: string }) {
    const sale = saleOf(input.saleId);
    if (isOpen(sale)) {
      throw new RefundError('invalid-transition', `Sale #${sale.id} is still open: void it to close it and hand back what it took.`);
    }
    if (sale.paidAmount === 0) throw new RefundError('nothing-taken', `Sale #${sale.id} took no money: there is nothing to refund.`);
    const left = refundable(sale);
    if (input.amount > left) {
      throw new RefundError(
        'too-much',
        left === 0
          ? `Sale #${sale.id} is already refunded in full (${money(sale.refundedAmount, sale.currency)}).`
          : `Sale #${sale.id} can still be refunded ${money(left, sale.currency)} at most, not ${money(input.amount, sale.currency)}.`,
      );
    }
    const note = noteOf(input.method, input.note);
    const done = ledgerCall(() => ledger.refunds.record({ saleId: sale.id, amount: input.amount, method: input.method, note, by }));
    log.info(`sale ${sale.id}: refund ${done.refund.id} of ${money(input.amount, sale.currency)} (${input.method}) by ${by.name}`, {
      saleId: sale.id,
      refundId: done.refund.id,
    });
    options.publishSale(done.sale, 'refunded');
    return { ...done, printJobs: printQuietly(done.refund.id) };
  }

  /** The refund's receipt, queued when a printer is set; a printer problem is logged, never thrown: the refund is recorded. */
  function printQuietly(refundId: number): PrintJob[] {
    if (!options.printRefund) return [];
    try {
      return options.printRefund(refundId);
    } catch (error) {
      log.warn(`the receipt of refund ${refundId} was not queued: ${(error as Error).message}`, { refundId });
      return [];
    }
  }

  function voidSale(by: Actor, input: { saleId: number; reason: string; method?: RefundMethod; note?: string }) {
    const sale = saleOf(input.saleId);
    if (sale.status === 'paid') throw new RefundError('invalid-transition', `Sale #${sale.id} is paid: refund it instead of voiding it.`);
    if (!isOpen(sale)) throw new RefundError('invalid-transition', `Sale #${sale.id} is ${sale.status} already: only an open sale can be voided.`);
    const reason = input.reason.trim();
    if (!reason) throw new RefundError('invalid-input', 'Say why the sale is voided.');
    const note = input.note?.trim() || null;
    const done = ledgerCall(() =>
      ledger.refunds.voidSale({ saleId: sale.id, reason, ...(input.method ? { method: input.method } : {}), note, by }),
    );
    const back = done.refunds.map((r) => `${money(r.amount, r.currency)} ${REFUND_METHOD_WORDS[r.method].toLowerCase()}`).join(', ');
    log.info(`sale ${sale.id} voided by ${by.name}${back ? `; handed back ${back}` : ''}`, { saleId: sale.id });
    options.publishSale(done.sale, 'voided');
    for (const r of done.refunds) printQuietly(r.id);
    return done;
  }

  return {
    refund,
    void: voidSale,
    refundsOf: (saleId) => ledgerCall(() => ledger.refunds.listBySale(saleId)),
    get: (refundId) => ledgerCall(() => ledger.refunds.get(refundId)),
  };
}
