// The till as a pure state machine, so what the cashier sees follows from
// the ledger's word alone: the sale on screen changes only through a Sale
// the main process sent (a pushed event, getSale, or the answer to a call),
// never through the Code button's browser events.
import type { CodePaymentView, RailHealth, Sale, SaleEventCause, TillSale, TipPrompt } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { isOpen, outstanding, pendingCodeTender } from '../../../electron/shared/domain/sale';
import { backspace, typeKey, type EntryKey } from './amount-entry';

export interface SaleOnScreen {
  /** The ledger's latest word on the sale. */
  sale: Sale;
  /** The Code payment waiting for the customer, as the main process described it (its client secret drives the Code button); null when none waits. */
  codePayment: CodePaymentView | null;
  /** Why no Code payment is offered, shown as is (from the main process, or the till's own reading of the rail's health). */
  codeNote: string | null;
  /** Why the sale last changed, when a pushed event said so. */
  cause: SaleEventCause | null;
  /**
   * What the tip choice offers while the sale waits for it (the main
   * process's TillSale.tipPrompt); null once the ledger says the tip is chosen,
   * by the cashier here or by the customer on their display.
   */
  tipPrompt: TipPrompt | null;
}

/** The form beside an open sale: cash handed over, or another tender. */
export type TenderForm = 'cash' | 'other' | null;

export type TillBusy = 'charge' | 'cancel' | 'simulate-payment' | 'simulate-cancel' | 'cash' | 'other' | 'request-code' | 'tip' | null;

export interface TillState {
  /** What the cashier has typed (amount-entry.ts): "12.5", or "" for nothing yet. */
  entry: string;
  /** The currency the entry is typed in; when the shop's currency changes, the entry starts again. */
  currency: string;
  /** The large-amount question is on screen: Charge again confirms, Go back returns to the entry. */
  confirming: boolean;
  current: SaleOnScreen | null;
  form: TenderForm;
  busy: TillBusy;
  /** Shown as is on the till (data-testid till-error). */
  error: string | null;
  /** What the Code button itself reported (an error), for the cashier's information only. */
  buttonNote: string | null;
  /**
   * The till should ask the main process for the sale's Code payment: one was
   * credited and the sale still owes money, or the ledger shows one waiting
   * that the till has no view of (requestCodePayment answers the waiting one).
   */
  followUp: boolean;
  /** Payments that arrived for sales no longer on screen (paid late, or reconciled after a restart). */
  notices: Sale[];
}

export const initialTill: TillState = {
  entry: '',
  currency: 'usd',
  confirming: false,
  current: null,
  form: null,
  busy: null,
  error: null,
  buttonNote: null,
  followUp: false,
  notices: [],
};

export type TillAction =
  | { type: 'key'; key: EntryKey }
  | { type: 'back' }
  | { type: 'clear' }
  | { type: 'currency'; currency: string }
  | { type: 'confirm'; open: boolean }
  | { type: 'error'; message: string | null }
  | { type: 'busy'; busy: TillBusy }
  | { type: 'charged'; till: TillSale }
  | { type: 'till-sale'; till: TillSale }
  | { type: 'sale'; sale: Sale; cause: SaleEventCause | null }
  | { type: 'code-note'; note: string | null }
  | { type: 'form'; form: TenderForm }
  | { type: 'button-note'; message: string | null }
  | { type: 'next-sale' }
  | { type: 'dismiss-notice'; saleId: number };

/** Paid outranks everything: a paid sale never goes back. */
const RANK: Record<Sale['status'], number> = { pending: 0, partly_paid: 0, cancelled: 1, expired: 1, paid: 2 };

/** The latest change to the sale or any of its tenders. */
function lastChange(sale: Sale): number {
  return sale.tenders.reduce((max, t) => Math.max(max, t.updatedAt), sale.updatedAt);
}

/**
 * Whether `next` is at least as new as `known` (answers can cross pushed
 * events in flight): paid never goes back, money taken never shrinks, then
 * the status, then the latest change to the sale or its tenders.
 */
export function isNewer(known: Sale | null, next: Sale): boolean {
  if (!known) return true;
  if (known.status === 'paid' && next.status !== 'paid') return false;
  // A tip, once chosen, is never asked for again: a sale still waiting for it is an older word.
  if (!known.awaitingTip && next.awaitingTip) return false;
  if (next.paidAmount !== known.paidAmount) return next.paidAmount > known.paidAmount;
  const a = RANK[known.status];
  const b = RANK[next.status];
  if (a !== b) return b > a;
  const at = lastChange(known);
  const bt = lastChange(next);
  return bt > at || (bt === at && next.tenders.length >= known.tenders.length);
}

/** Whether the sale on screen can still take tenders (the till keeps it until it is paid, cancelled or expired). */
export function isWaiting(current: SaleOnScreen | null): boolean {
  return current !== null && isOpen(current.sale);
}

function paidCodeCount(sale: Sale): number {
  return sale.tenders.filter((t) => t.kind === 'code' && t.status === 'paid').length;
}

/** The view of the waiting Code payment, kept only while the ledger says that tender still waits. */
function keepCodePayment(view: CodePaymentView | null, sale: Sale): CodePaymentView | null {
  if (!view || !isOpen(sale)) return null;
  return sale.tenders.some((t) => t.id === view.tenderId && t.kind === 'code' && t.status === 'pending') ? view : null;
}

/**
 * Whether the till must ask for the Code payment after this change: the
 * ledger shows one waiting that the till has no view of, or a Code payment
 * was just credited and the sale still owes money with none waiting.
 */
function needsFollowUp(before: Sale | null, sale: Sale, codePayment: CodePaymentView | null): boolean {
  if (!isOpen(sale) || outstanding(sale) <= 0) return false;
  const waiting = pendingCodeTender(sale);
  if (waiting) return codePayment?.tenderId !== waiting.id;
  return before !== null && paidCodeCount(sale) > paidCodeCount(before);
}

/** The tip choice, kept only while the ledger says the sale still waits for it. */
function keepTipPrompt(prompt: TipPrompt | null, sale: Sale): TipPrompt | null {
  return sale.awaitingTip && isOpen(sale) ? prompt : null;
}

function onScreen(till: TillSale, known: SaleOnScreen | null): SaleOnScreen {
  const sale = known && !isNewer(known.sale, till.sale) ? known.sale : till.sale;
  return {
    sale,
    codePayment: keepCodePayment(till.codePayment, sale),
    codeNote: till.codeNote,
    cause: known?.cause ?? null,
    tipPrompt: keepTipPrompt(till.tipPrompt ?? known?.tipPrompt ?? null, sale),
  };
}

export function tillReducer(state: TillState, action: TillAction): TillState {
  const editable = state.current === null && state.busy !== 'charge' && !state.confirming;
  switch (action.type) {
    case 'key':
      return editable ? { ...state, entry: typeKey(state.entry, action.key, state.currency), error: null } : state;
    case 'back':
      return editable ? { ...state, entry: backspace(state.entry), error: null } : state;
    case 'clear':
      return editable ? { ...state, entry: '', error: null } : state;
    case 'currency':
      // "12.5" means nothing in yen: a new currency starts a new entry.
      return action.currency === state.currency ? state : { ...state, currency: action.currency, entry: '', confirming: false };
    case 'confirm': {
      // The question is asked only about an amount being typed, never over a sale on screen.
      const confirming = action.open && state.current === null && state.busy === null;
      return confirming === state.confirming ? state : { ...state, confirming };
    }
    case 'error':
      return { ...state, error: action.message };
    case 'busy':
      return { ...state, busy: action.busy, confirming: action.busy === null ? state.confirming : false };
    case 'charged': {
      const current = onScreen(action.till, null);
      return {
        ...state,
        busy: null,
        confirming: false,
        error: null,
        buttonNote: null,
        form: null,
        current,
        followUp: needsFollowUp(null, current.sale, current.codePayment),
      };
    }
    case 'till-sale': {
      const known = state.current;
      if (!known || known.sale.id !== action.till.sale.id) return state;
      const current = onScreen(action.till, known);
      const buttonNote = current.codePayment?.tenderId === known.codePayment?.tenderId ? state.buttonNote : null;
      return {
        ...state,
        current,
        buttonNote,
        form: isOpen(current.sale) ? state.form : null,
        // A fresh answer: when it says why no Code payment is offered, that is the last word.
        followUp: current.codeNote === null && needsFollowUp(known.sale, current.sale, current.codePayment),
      };
    }
    case 'sale': {
      const { sale, cause } = action;
      const current = state.current;
      if (current && current.sale.id === sale.id) {
        if (!isNewer(current.sale, sale)) return state;
        const codePayment = keepCodePayment(current.codePayment, sale);
        const open = isOpen(sale);
        return {
          ...state,
          current: { ...current, sale, codePayment, codeNote: open ? current.codeNote : null, cause: cause ?? current.cause, tipPrompt: keepTipPrompt(current.tipPrompt, sale) },
          error: open ? state.error : null,
          form: open ? state.form : null,
          buttonNote: codePayment ? state.buttonNote : null,
          followUp: open && (state.followUp || needsFollowUp(current.sale, sale, codePayment)),
        };
      }
      // A payment for a sale that is not on screen still has to reach the cashier.
      if (cause === 'late' || (cause === 'credited' && sale.status === 'paid')) {
        return { ...state, notices: [...state.notices.filter((s) => s.id !== sale.id), sale] };
      }
      return state;
    }
    case 'code-note':
      if (!state.current) return state;
      return { ...state, followUp: false, current: { ...state.current, codeNote: action.note } };
    case 'form': {
      // Tenders are taken only on an open sale, and only once its tip is chosen (the total is not known before).
      const form = isWaiting(state.current) && !state.current?.sale.awaitingTip ? action.form : null;
      return form === state.form ? state : { ...state, form, error: null };
    }
    case 'button-note':
      return { ...state, buttonNote: action.message };
    case 'next-sale':
      // Only from an ended sale: an open sale is left through Cancel, which the ledger records.
      if (state.current && isWaiting(state.current)) return state;
      return { ...state, entry: '', confirming: false, current: null, form: null, busy: null, error: null, buttonNote: null, followUp: false };
    case 'dismiss-notice':
      return { ...state, notices: state.notices.filter((s) => s.id !== action.saleId) };
  }
}

/** The shop's Code limits and the rail's health, as the status says them. */
export interface CodeOffer {
  rail: RailHealth;
  /** In the shop's currency (`currency`), hundredths. */
  limits: { min: number; max: number };
  currency: string;
}

/**
 * Why the till does not ask Code for the rest of `sale`, in the cashier's
 * words, or null when it can: Code's payment service is unavailable, or the
 * rest is below Code's minimum for one payment.
 */
export function codeUnavailableNote(sale: Sale, offer: CodeOffer | null): string | null {
  if (!offer) return null;
  if (offer.rail.state === 'unavailable') return `Code payments are unavailable (${offer.rail.reason}): take cash or another tender.`;
  const rest = outstanding(sale);
  if (sale.currency === offer.currency && rest > 0 && rest < offer.limits.min) {
    return `The rest, ${formatMoney(rest, sale.currency)}, is below Code's minimum of ${formatMoney(offer.limits.min, sale.currency)}: take it in cash or another tender.`;
  }
  return null;
}

/** Whether a partly paid sale may be cancelled here: only while nothing is paid (the money taken must be settled first). */
export function cancelBlockedReason(sale: Sale): string | null {
  if (sale.paidAmount <= 0) return null;
  return `${formatMoney(sale.paidAmount, sale.currency)} of this sale is paid, so it cannot be cancelled here: take the rest in cash or another tender.`;
}
