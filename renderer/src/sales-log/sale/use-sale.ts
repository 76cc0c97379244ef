import { useCallback, useEffect, useState } from 'react';
import type { PaymentEvent, Refund, Sale } from '../../../../electron/shared/contract';
import { getCounterApi } from '../../common/api';
import { useCounterEvents } from '../../common/use-counter-events';

export interface SaleState {
  sale: Sale | null;
  events: PaymentEvent[];
  /** Money handed back on it, oldest first. */
  refunds: Refund[];
  error: string | null;
}

/**
 * One sale and its events from the ledger, read again whenever the main
 * process says it changed (a late payment, say); or, with `tillId`, another
 * till's sale from the shop database (shopSale), read when opened and on
 * reload (this till's events are not that till's).
 */
export function useSale(saleId: number, tillId: string | null = null): SaleState & { reload(): void } {
  const [state, setState] = useState<SaleState>({ sale: null, events: [], refunds: [], error: null });

  const load = useCallback(async (signal: { stale: boolean }) => {
    const api = getCounterApi();
    const answer = tillId === null ? await api.getSale({ saleId }) : await api.shopSale({ tillId, saleId });
    if (signal.stale) return;
    if (answer.ok) setState({ sale: answer.value.sale, events: answer.value.events, refunds: answer.value.refunds ?? [], error: null });
    else setState((s) => ({ ...s, error: answer.error.message }));
  }, [saleId, tillId]);

  useEffect(() => {
    const signal = { stale: false };
    setState({ sale: null, events: [], refunds: [], error: null });
    void load(signal);
    return () => {
      signal.stale = true;
    };
  }, [load]);

  useCounterEvents((event) => {
    if (tillId === null && event.type === 'sale' && event.sale.id === saleId) void load({ stale: false });
  });

  return { ...state, reload: () => void load({ stale: false }) };
}
