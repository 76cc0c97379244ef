/**
 * The sale on the till's screen: the one owner of that fact. The renderer
 * reports it (and a charge puts its new sale there); this module remembers it
 * in the ledger, so after a window reload or a restart (a power cut
 * mid-sale) the till shows it again, and tells the reconciler, which polls it
 * about once a second.
 */
import type { ApiResults } from '../../shared/contract';
import { isOpen } from '../../shared/domain/sale';
import type { Ledger } from '../ledger/ledger';
import type { PaymentsService } from '../payments/payments-service';
import type { Logger } from './logger';

/** How long after a sale ended the till still brings it back on screen after a restart. */
const OUTCOME_SHOWN_AGAIN_MS = 10 * 60_000;
const TILL_FOCUS_KEY = 'tillFocus';

export interface TillFocus {
  set(saleId: number | null): void;
  /** The sale to show again after a reload or a restart, or null when the till was idle. */
  current(): ApiResults['currentSale'];
  /** The sale the till is on now, or null when idle (the customer display follows it). */
  saleId(): number | null;
  /** Called with the new sale whenever the till moves to another one (or to none); returns the unsubscribe function. */
  onChange(listener: (saleId: number | null) => void): () => void;
}

export function createTillFocus(options: { ledger: Ledger; payments: PaymentsService; logger: Logger; now?: () => number }): TillFocus {
  const { ledger, payments } = options;
  const log = options.logger.child('till-focus');
  const now = options.now ?? Date.now;
  const saved = ledger.getSetting(TILL_FOCUS_KEY);
  let focused = typeof saved === 'number' && Number.isSafeInteger(saved) && saved > 0 ? saved : null;
  payments.focus(focused);
  const listeners = new Set<(saleId: number | null) => void>();

  return {
    set(saleId) {
      payments.focus(saleId);
      if (saleId === focused) return;
      focused = saleId;
      ledger.setSetting(TILL_FOCUS_KEY, saleId);
      for (const fn of [...listeners]) {
        try {
          fn(saleId);
        } catch (error) {
          log.warn(`a focus listener failed: ${(error as Error).message}`);
        }
      }
    },
    saleId: () => focused,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    current() {
      if (focused === null) return null;
      try {
        const sale = ledger.getSale(focused);
        // An outcome is worth showing again only while the customer may still be at the counter;
        // an open sale (waiting, or partly paid) always is.
        if (!isOpen(sale) && now() - sale.updatedAt > OUTCOME_SHOWN_AGAIN_MS) return null;
        return payments.tillSale(focused);
      } catch (error) {
        log.warn(`the till's sale ${focused} cannot be shown again: ${(error as Error).message}`);
        return null;
      }
    },
  };
}
