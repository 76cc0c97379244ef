import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Envelope, Sale, TillSale, TipChoice } from '../../../electron/shared/contract';
import { isOpen, pendingCodeTender } from '../../../electron/shared/domain/sale';
import { getCounterApi } from '../common/api';
import { useCounterEvents } from '../common/use-counter-events';
import { entryAmount, needsConfirmation, type EntryKey } from './amount-entry';
import { codeUnavailableNote, initialTill, isWaiting, tillReducer, type CodeOffer, type TenderForm, type TillAction, type TillBusy } from './till-state';

/**
 * A safety net under the pushed events while a sale is open: the ledger is
 * local, so this is cheap, and it catches an update lost while the preview's
 * event stream reconnected. Proof still comes only from the main process.
 */
const SALE_REFRESH_MS = 2_000;

/**
 * The till's state and its calls to the main process. `currency` is the
 * shop's (null until the status is known); `confirmAbove` the large-amount
 * threshold in hundredths (0: never ask); `offer` the rail's health and
 * Code's limits, from the status (null until known).
 */
export function useTill(currency: string | null, confirmAbove: number, offer: CodeOffer | null) {
  const [state, dispatch] = useReducer(tillReducer, initialTill);
  const latest = useRef(state);
  latest.current = state;
  const latestOffer = useRef(offer);
  latestOffer.current = offer;

  // The entry is read in the shop's currency; a new one starts the entry again.
  useEffect(() => {
    if (currency) dispatch({ type: 'currency', currency });
  }, [currency]);

  // Set synchronously, before any await: a double Enter must never create two sales, nor take cash twice.
  const inFlight = useRef(false);
  const api = getCounterApi();

  useCounterEvents((event) => {
    if (event.type === 'sale') dispatch({ type: 'sale', sale: event.sale, cause: event.cause });
  });

  const saleId = state.current?.sale.id ?? null;
  const waiting = isWaiting(state.current);

  const refreshSale = useCallback(
    async (id: number) => {
      const answer = await api.getSale({ saleId: id });
      if (answer.ok) dispatch({ type: 'sale', sale: answer.value.sale, cause: null });
    },
    [api],
  );

  // After a reload or a restart, the sale the till was showing comes back
  // (open, or with its outcome); until that is known, focus is left alone.
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    let live = true;
    void api.currentSale(undefined).then((answer) => {
      if (!live) return;
      if (answer.ok && answer.value && !latest.current.current) dispatch({ type: 'charged', till: answer.value });
      setRestored(true);
    });
    return () => {
      live = false;
    };
  }, [api]);

  // The main process polls Code about once a second for the sale on screen.
  useEffect(() => {
    if (restored) void api.focusSale({ saleId });
  }, [api, saleId, restored]);

  useEffect(() => {
    if (saleId === null || !waiting) return;
    const timer = setInterval(() => void refreshSale(saleId), SALE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [saleId, waiting, refreshSale]);

  /**
   * Runs a call about the sale on screen; `take` turns its answer into the
   * till's state. Errors are shown as is and the sale is read again. True when
   * it succeeded.
   */
  const saleCall = useCallback(
    async <T,>(busy: Exclude<TillBusy, null | 'charge'>, run: (saleId: number) => Promise<Envelope<T>>, take: (value: T) => TillAction): Promise<boolean> => {
      const s = latest.current;
      if (!s.current || s.busy || inFlight.current || !isWaiting(s.current)) return false;
      const id = s.current.sale.id;
      inFlight.current = true;
      dispatch({ type: 'busy', busy });
      dispatch({ type: 'error', message: null });
      const answer = await run(id);
      inFlight.current = false;
      dispatch({ type: 'busy', busy: null });
      if (answer.ok) {
        dispatch(take(answer.value));
        return true;
      }
      dispatch({ type: 'error', message: answer.error.message });
      void refreshSale(id);
      return false;
    },
    [refreshSale],
  );

  /** A call whose answer is the sale on the till with its Code payment. */
  const tillCall = useCallback(
    (busy: Exclude<TillBusy, null | 'charge'>, run: (saleId: number) => Promise<Envelope<TillSale>>) =>
      saleCall(busy, run, (till): TillAction => ({ type: 'till-sale', till })),
    [saleCall],
  );

  /** A call whose answer is the ledger's Sale. */
  const saleAction = useCallback(
    (busy: Exclude<TillBusy, null | 'charge'>, run: (saleId: number) => Promise<Envelope<Sale>>) =>
      saleCall(busy, run, (sale): TillAction => ({ type: 'sale', sale, cause: null })),
    [saleCall],
  );

  const requestCode = useCallback(() => tillCall('request-code', (id) => api.requestCodePayment({ saleId: id })), [api, tillCall]);

  // A Code payment was credited and the sale still owes money: the till asks
  // for the next one by itself (the main process answers the waiting one if
  // there is one), unless Code cannot take the rest; then it says why.
  const followUp = state.followUp;
  const busy = state.busy;
  useEffect(() => {
    if (!followUp || busy !== null || inFlight.current) return;
    const current = latest.current.current;
    if (!current || !isOpen(current.sale)) return;
    const note = pendingCodeTender(current.sale) ? null : codeUnavailableNote(current.sale, latestOffer.current);
    if (note) dispatch({ type: 'code-note', note });
    else void requestCode();
  }, [followUp, busy, requestCode]);

  /** Charges the typed amount; above the threshold, only once the cashier confirmed (`confirmed`). */
  const charge = useCallback(
    async (confirmed = false) => {
      const s = latest.current;
      if (s.current || s.busy || inFlight.current || !currency || s.currency !== currency) return;
      // A confirmation answers the question on screen, and only that.
      if (confirmed && !s.confirming) return;
      const amount = entryAmount(s.entry, s.currency);
      if (amount <= 0) {
        dispatch({ type: 'error', message: 'Type an amount first.' });
        return;
      }
      if (!confirmed && needsConfirmation(amount, confirmAbove)) {
        dispatch({ type: 'confirm', open: true });
        return;
      }
      inFlight.current = true;
      dispatch({ type: 'busy', busy: 'charge' });
      const answer = await api.charge({ amount, currency });
      inFlight.current = false;
      if (!answer.ok) {
        // The amount stays, so the cashier can fix the cause and charge again.
        dispatch({ type: 'busy', busy: null });
        dispatch({ type: 'error', message: answer.error.message });
        return;
      }
      dispatch({ type: 'charged', till: answer.value });
      // Anything pushed before the answer arrived is in the ledger already.
      void refreshSale(answer.value.sale.id);
    },
    [api, currency, confirmAbove, refreshSale],
  );

  const closeConfirm = useCallback(() => dispatch({ type: 'confirm', open: false }), []);
  const cancel = useCallback(() => saleAction('cancel', (id) => api.cancelSale({ saleId: id })), [api, saleAction]);
  const simulatePayment = useCallback(() => saleAction('simulate-payment', (id) => api.simulatePayment({ saleId: id })), [api, saleAction]);
  const simulateCancel = useCallback(() => saleAction('simulate-cancel', (id) => api.simulateCancel({ saleId: id })), [api, saleAction]);

  /** Cash handed over: the form closes once the ledger has it. */
  const takeCash = useCallback(
    async (tendered: number) => {
      if (await tillCall('cash', (id) => api.takeCash({ saleId: id, tendered }))) dispatch({ type: 'form', form: null });
    },
    [api, tillCall],
  );
  const takeOther = useCallback(
    async (amount: number, label: string) => {
      if (await tillCall('other', (id) => api.takeOther({ saleId: id, amount, label }))) dispatch({ type: 'form', form: null });
    },
    [api, tillCall],
  );

  /** The cashier chose the tip for the customer; the answer brings the first Code payment for the tipped total. */
  const chooseTip = useCallback((choice: TipChoice) => tillCall('tip', (id) => api.chooseTip({ saleId: id, choice })), [api, tillCall]);

  /**
   * What the Code button said, for the main process's log. An error is also
   * shown on the till, unless `shown`: the button then says it itself (a
   * frame that could not load).
   */
  const reportButtonEvent = useCallback(
    (event: 'invoke' | 'success' | 'cancel' | 'error', message?: string, shown = false) => {
      const id = latest.current.current?.sale.id;
      if (id === undefined) return;
      if (event === 'error' && !shown) dispatch({ type: 'button-note', message: message ?? 'unknown error' });
      void api.reportButtonEvent(message ? { saleId: id, event, message: message.slice(0, 500) } : { saleId: id, event });
    },
    [api],
  );

  return {
    state,
    key: (key: EntryKey) => dispatch({ type: 'key', key }),
    back: () => dispatch({ type: 'back' }),
    clear: () => dispatch({ type: 'clear' }),
    nextSale: () => dispatch({ type: 'next-sale' }),
    dismissNotice: (id: number) => dispatch({ type: 'dismiss-notice', saleId: id }),
    openForm: (form: TenderForm) => dispatch({ type: 'form', form }),
    charge: () => charge(false),
    confirmCharge: () => charge(true),
    closeConfirm,
    cancel,
    simulatePayment,
    simulateCancel,
    requestCode,
    takeCash,
    takeOther,
    chooseTip,
    reportButtonEvent,
  };
}

export type TillControls = ReturnType<typeof useTill>;
