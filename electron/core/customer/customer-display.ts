/**
 * What the customer display shows (SPEC §7), derived from the sale the till
 * is on and nothing else: idle, the sale, the tip choice, the scan code of
 * the waiting Code payment, PAID for a few seconds. The view is built field
 * by field from the sale, so nothing the customer must not see (the client
 * secret, the webhook URL, the deposit address, other sales) can reach it.
 * Its one control, the tip, is accepted only for the sale it is showing and
 * only while that sale waits for its tip.
 */
import type { ScanCodeView, Settings, TillSale } from '../../shared/contract';
import type { CustomerAmounts, CustomerView } from '../../shared/domain/customer-view';
import { isOpen, totalDue, type Sale } from '../../shared/domain/sale';
import type { TipChoice } from '../../shared/domain/tip';
import { CounterError } from '../app/errors';
import type { Logger } from '../app/logger';
import type { TillFocus } from '../app/till-focus';
import type { SaleUpdate } from '../payments/payments-service';

/** How long PAID stays on the customer's screen before it goes back to idle. */
export const PAID_SHOWN_MS = 10_000;
/** Scan codes kept drawn: the waiting payment's, and a few recent ones if the till flips between sales. */
const CODES_KEPT = 4;

/** The slice of the payments service the display reads (and the tip it writes). */
export interface CustomerDisplayPayments {
  tillSale(saleId: number): TillSale;
  scanCode(saleId: number, tenderId: number): Promise<ScanCodeView>;
  subscribe(fn: (update: SaleUpdate) => void): () => void;
  chooseTip(saleId: number, choice: TipChoice, by: 'customer'): Promise<TillSale>;
}

export interface CustomerDisplayOptions {
  /** Read at every change: a new shop name or mode shows at once. */
  settings: () => Pick<Settings, 'shopName' | 'mode' | 'customerDisplay'>;
  tillFocus: Pick<TillFocus, 'saleId' | 'onChange'>;
  payments: CustomerDisplayPayments;
  now?: () => number;
  paidShownMs?: number;
  logger: Logger;
}

export interface CustomerDisplay {
  view(): CustomerView;
  /** Every new view (only when it differs from the last); returns the unsubscribe function. */
  onView(listener: (view: CustomerView) => void): () => void;
  /** The customer's tip for the sale on the display; refused unless the display is asking for that sale's tip. */
  chooseTip(saleId: number, choice: TipChoice): Promise<CustomerView>;
  /** Derives the view again (after a settings change). */
  refresh(): void;
  close(): void;
}

export class CustomerDisplayError extends CounterError {
  override readonly name = 'CustomerDisplayError';
}

export function createCustomerDisplay(options: CustomerDisplayOptions): CustomerDisplay {
  const { settings, tillFocus, payments } = options;
  const log = options.logger.child('customer-display');
  const now = options.now ?? Date.now;
  const paidShownMs = options.paidShownMs ?? PAID_SHOWN_MS;
  const listeners = new Set<(view: CustomerView) => void>();
  const codes = new Map<number, ScanCodeView>();
  const drawing = new Set<number>();
  let paidTimer: NodeJS.Timeout | null = null;
  let closed = false;

  function idle(): CustomerView {
    const s = settings();
    return { state: 'idle', shopName: s.shopName, mode: s.mode };
  }

  /** `known`: the sale as an event just carried it, so a closed sale needs no second read. */
  function derive(known?: Sale): CustomerView {
    const s = settings();
    const saleId = tillFocus.saleId();
    if (!s.customerDisplay || saleId === null) return idle();
    let sale: Sale;
    let till: TillSale | null = null;
    if (known && known.id === saleId && !isOpen(known)) sale = known;
    else {
      try {
        till = payments.tillSale(saleId);
      } catch (error) {
        log.warn(`the till's sale ${saleId} cannot be shown: ${(error as Error).message}`);
        return idle();
      }
      sale = till.sale;
    }
    // The sale's own mode: a sandbox sale is marked sandbox on the customer's screen even after the till went live.
    const shop = { shopName: s.shopName, mode: sale.mode };
    const amounts: CustomerAmounts = {
      saleId: sale.id,
      currency: sale.currency,
      amount: sale.amount,
      tipAmount: sale.tipAmount,
      total: totalDue(sale),
      paid: sale.paidAmount,
    };
    if (sale.status === 'paid') {
      // Timed from the ledger's paidAt, so a restart long after the sale does not show PAID again.
      const left = (sale.paidAt ?? sale.updatedAt) + paidShownMs - now();
      if (left <= 0) return idle();
      schedule(left);
      return { state: 'paid', ...shop, ...amounts };
    }
    if (!isOpen(sale) || !till) return idle();
    if (sale.awaitingTip && till.tipPrompt) {
      const { options: tipOptions, custom, maxCustom } = till.tipPrompt;
      return { state: 'tip', prompt: { options: tipOptions.map(({ percent, amount }) => ({ percent, amount })), custom, maxCustom }, ...shop, ...amounts };
    }
    const payment = till.codePayment;
    if (payment) {
      const code = codes.get(payment.tenderId);
      if (code && code.intentId === payment.intentId) {
        return {
          state: 'code',
          payment: { tenderId: payment.tenderId, intentId: payment.intentId, amount: payment.amount, index: payment.index, count: payment.count },
          code: { size: code.size, center: code.center, arcs: code.arcs, dots: code.dots },
          ...shop,
          ...amounts,
        };
      }
      draw(sale.id, payment.tenderId);
    }
    return { state: 'sale', ...shop, ...amounts };
  }

  /** Draws a waiting payment's scan code once, off the event path; the view shows the sale until it is ready. */
  function draw(saleId: number, tenderId: number): void {
    if (drawing.has(tenderId)) return;
    drawing.add(tenderId);
    payments
      .scanCode(saleId, tenderId)
      .then(
        (code) => {
          codes.set(tenderId, code);
          for (const old of codes.keys()) if (codes.size > CODES_KEPT) codes.delete(old);
          refresh();
        },
        // Not retried here: the next change of the sale tries again, and the till shows the same payment meanwhile.
        (error: unknown) => log.warn(`scan code of Code payment ${tenderId} (sale ${saleId}) not drawn: ${(error as Error).message}`),
      )
      .finally(() => drawing.delete(tenderId));
  }

  function schedule(ms: number): void {
    if (paidTimer) clearTimeout(paidTimer);
    paidTimer = setTimeout(() => {
      paidTimer = null;
      refresh();
    }, ms);
    // PAID going back to idle must never keep the process alive at quit.
    paidTimer.unref();
  }

  let current: CustomerView = idle();
  let currentJson = JSON.stringify(current);

  function refresh(known?: Sale): void {
    if (closed) return;
    if (paidTimer) {
      clearTimeout(paidTimer);
      paidTimer = null;
    }
    const next = derive(known);
    const json = JSON.stringify(next);
    if (json === currentJson) return;
    current = next;
    currentJson = json;
    for (const fn of [...listeners]) {
      try {
        fn(next);
      } catch (error) {
        log.warn(`a view listener failed: ${(error as Error).message}`);
      }
    }
  }

  const unsubscribes = [
    payments.subscribe((update) => {
      // Other sales' changes cannot change what the customer sees.
      if (update.sale.id === tillFocus.saleId()) refresh(update.sale);
    }),
    tillFocus.onChange(() => refresh()),
  ];
  refresh();

  return {
    view: () => current,
    onView(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async chooseTip(saleId, choice) {
      refresh();
      if (current.state !== 'tip' || current.saleId !== saleId) {
        throw new CustomerDisplayError(
          'invalid-transition',
          current.state === 'tip' ? `The display is asking for the tip of sale #${current.saleId}, not #${saleId}.` : 'No tip is being asked for now.',
        );
      }
      await payments.chooseTip(saleId, choice, 'customer');
      refresh();
      return current;
    },
    refresh: () => refresh(),
    close() {
      closed = true;
      if (paidTimer) clearTimeout(paidTimer);
      for (const unsubscribe of unsubscribes) unsubscribe();
      listeners.clear();
    },
  };
}
