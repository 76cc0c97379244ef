// The refund and void forms as plain data: what the manager typed, what is
// wrong with it in words, and the call's arguments. The main process checks
// it all again (and what can still be refunded, which may have moved).
import type { ApiArgs, Sale } from '../../../../electron/shared/contract';
import { formatMoney } from '../../../../electron/shared/domain/money';
import { MAX_REFUND_NOTE, refundable, REFUND_METHOD_WORDS, type RefundMethod } from '../../../../electron/shared/domain/refund';
import { isOpen } from '../../../../electron/shared/domain/sale';
import { amountAsTyped, amountFromText, amountTextProblem } from '../../common/amount-text';

type SaleFacts = Pick<Sale, 'id' | 'status' | 'paidAmount' | 'refundedAmount' | 'currency' | 'tenders'>;

export interface RefundDraft {
  /** As typed, prefilled with all that can still be refunded. */
  amount: string;
  method: RefundMethod;
  note: string;
}

/** Money was taken and the sale is closed (paid, or paid late): a refund. An open sale is voided instead. */
export function canRefundSale(sale: Pick<Sale, 'status' | 'paidAmount' | 'refundedAmount'>): boolean {
  return !isOpen(sale) && refundable(sale) > 0;
}

/** An open sale (pending or partly paid) is closed by a manager with a void. */
export function canVoidSale(sale: Pick<Sale, 'status'>): boolean {
  return isOpen(sale);
}

/** How the money most likely goes back: as it came (cash when any cash was taken, else by Code, else another way). */
export function likelyMethod(sale: Pick<Sale, 'tenders'>): RefundMethod {
  const paid = sale.tenders.filter((t) => t.status === 'paid');
  if (paid.some((t) => t.kind === 'cash')) return 'cash';
  if (paid.some((t) => t.kind === 'code')) return 'code';
  return paid.length > 0 ? 'other' : 'cash';
}

export function refundDraftFor(sale: SaleFacts): RefundDraft {
  return { amount: amountAsTyped(refundable(sale), sale.currency), method: likelyMethod(sale), note: '' };
}

/** Why a note is asked for: who the Code payment went to, or how the money went back. */
export function noteLabel(method: RefundMethod): string {
  return method === 'code' ? 'Sent to whom (their Code name or a note)' : method === 'other' ? 'How it was handed back' : 'Note (optional)';
}

function noteProblem(method: RefundMethod, note: string): string | null {
  const text = note.trim();
  if (method === 'code' && !text) return 'Say who the Code payment went to: the note is what the shop has to show for it.';
  if (method === 'other' && !text) return 'Say how the money was handed back (a card terminal, a bank transfer …).';
  if (text.length > MAX_REFUND_NOTE) return `At most ${MAX_REFUND_NOTE} characters in the note.`;
  return null;
}

/** What stops the refund, in the manager's words; null when it can be sent. */
export function refundProblem(draft: RefundDraft, sale: SaleFacts): string | null {
  const left = refundable(sale);
  if (left <= 0) return 'Nothing left to refund on this sale.';
  const amount = amountFromText(draft.amount, sale.currency);
  if (amount === null) return amountTextProblem(sale.currency, left);
  if (amount <= 0) return 'A refund is more than zero.';
  if (amount > left) return `At most ${formatMoney(left, sale.currency)} can still be refunded on this sale.`;
  return noteProblem(draft.method, draft.note);
}

export function refundArgs(draft: RefundDraft, sale: SaleFacts): ApiArgs<'refundSale'> {
  const amount = amountFromText(draft.amount, sale.currency) ?? 0;
  const note = draft.note.trim();
  return note ? { saleId: sale.id, amount, method: draft.method, note } : { saleId: sale.id, amount, method: draft.method };
}

/** "Refund $2.00 cash back on sale #14?" */
export function refundQuestion(draft: RefundDraft, sale: SaleFacts): string {
  const amount = amountFromText(draft.amount, sale.currency) ?? 0;
  return `Refund ${formatMoney(amount, sale.currency)} on sale #${sale.id}: ${REFUND_METHOD_WORDS[draft.method].toLowerCase()}?`;
}

export interface VoidDraft {
  reason: string;
  method: RefundMethod;
  note: string;
}

export function voidDraftFor(sale: Pick<Sale, 'tenders'>): VoidDraft {
  return { reason: '', method: likelyMethod(sale), note: '' };
}

/** What stops the void; when money was taken it is all handed back, so the refund's method and note count too. */
export function voidProblem(draft: VoidDraft, sale: SaleFacts): string | null {
  if (!canVoidSale(sale)) return 'Only an open sale is voided: refund a paid one instead.';
  const reason = draft.reason.trim();
  if (!reason) return 'Give the reason for the void: it is kept with the sale.';
  if (reason.length > MAX_REFUND_NOTE) return `At most ${MAX_REFUND_NOTE} characters in the reason.`;
  return sale.paidAmount > 0 ? noteProblem(draft.method, draft.note) : null;
}

export function voidArgs(draft: VoidDraft, sale: SaleFacts): ApiArgs<'voidSale'> {
  const args: ApiArgs<'voidSale'> = { saleId: sale.id, reason: draft.reason.trim() };
  if (sale.paidAmount > 0) {
    args.method = draft.method;
    if (draft.note.trim()) args.note = draft.note.trim();
  }
  return args;
}
