// The till as a pure state machine, so what the cashier sees follows from
// the ledger's word alone: the sale on screen changes only through a Sale
// the main process sent (a pushed event, getSale, or the answer to
// cancel/simulate), never through the Code button's browser events.
import type { ChargeView, Sale, SaleEventCause } from '../../../electron/shared/contract';
import { backspace, typeKey, type EntryKey } from './amount-entry';

export interface SaleOnScreen {
  charge: ChargeView;
  /** The ledger's latest word on the sale; null until the first one arrives. */
  sale: Sale | null;
  /** Why the sale last changed, when a pushed event said so. */
  cause: SaleEventCause | null;
}

export type TillBusy = 'charge' | 'cancel' | 'simulate-payment' | 'simulate-cancel' | null;

export interface TillState {
  /** What the cashier has typed (amount-entry.ts): "12.5", or "" for nothing yet. */
  entry: string;
  /** The currency the entry is typed in; when the shop's currency changes, the entry starts again. */
  currency: string;
  /** The large-amount question is on screen: Charge again confirms, Go back returns to the entry. */
  confirming: boolean;
  current: SaleOnScreen | null;
  busy: TillBusy;
  /** Shown as is on the till (data-testid till-error). */
  error: string | null;
  /** What the Code button itself reported (an error), for the cashier's information only. */
  buttonNote: string | null;
  /** Payments that arrived for sales no longer on screen (paid late, or reconciled after a restart). */
  notices: Sale[];
}

export const initialTill: TillState = { entry: '', currency: 'usd', confirming: false, current: null, busy: null, error: null, buttonNote: null, notices: [] };

export type TillAction =
  | { type: 'key'; key: EntryKey }
  | { type: 'back' }
  | { type: 'clear' }
  | { type: 'currency'; currency: string }
  | { type: 'confirm'; open: boolean }
  | { type: 'error'; message: string | null }
  | { type: 'busy'; busy: TillBusy }
  | { type: 'charged'; charge: ChargeView }
  | { type: 'sale'; sale: Sale; cause: SaleEventCause | null }
  | { type: 'button-note'; message: string | null }
  | { type: 'next-sale' }
  | { type: 'dismiss-notice'; saleId: number };

/** Terminal outcomes outrank pending, and paid outranks all: a paid sale never goes back. */
const RANK: Record<Sale['status'], number> = { pending: 0, cancelled: 1, expired: 1, paid: 2 };

/** Whether `next` is at least as new as `known` (answers can cross pushed events in flight). */
export function isNewer(known: Sale | null, next: Sale): boolean {
  if (!known) return true;
  const a = RANK[known.status];
  const b = RANK[next.status];
  return b > a || (b === a && next.updatedAt >= known.updatedAt);
}

export function isWaiting(current: SaleOnScreen | null): boolean {
  return current !== null && (current.sale === null || current.sale.status === 'pending');
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
    case 'charged':
      return { ...state, busy: null, confirming: false, error: null, buttonNote: null, current: { charge: action.charge, sale: null, cause: null } };
    case 'sale': {
      const { sale, cause } = action;
      const current = state.current;
      if (current && current.charge.saleId === sale.id) {
        if (!isNewer(current.sale, sale)) return state;
        const ended = sale.status !== 'pending';
        return { ...state, current: { ...current, sale, cause: cause ?? current.cause }, error: ended ? null : state.error };
      }
      // A payment for a sale that is not on screen still has to reach the cashier.
      if (sale.status === 'paid' && (cause === 'credited' || cause === 'late')) {
        return { ...state, notices: [...state.notices.filter((s) => s.id !== sale.id), sale] };
      }
      return state;
    }
    case 'button-note':
      return { ...state, buttonNote: action.message };
    case 'next-sale':
      // Only from an ended sale: a waiting sale is left through Cancel, which the ledger records.
      if (state.current && isWaiting(state.current)) return state;
      return { ...state, entry: '', confirming: false, current: null, busy: null, error: null, buttonNote: null };
    case 'dismiss-notice':
      return { ...state, notices: state.notices.filter((s) => s.id !== action.saleId) };
  }
}
