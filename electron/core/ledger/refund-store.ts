import type Database from 'better-sqlite3';
import { z } from 'zod';
import { formatMoney, MAX_AMOUNT_HUNDREDTHS } from '../../shared/domain/money';
import type { Actor } from '../../shared/domain/people';
import { MAX_REFUND_NOTE, REFUND_METHOD_WORDS, REFUND_METHODS, type Refund, type RefundMethod } from '../../shared/domain/refund';
import type { Mode, Sale } from '../../shared/domain/sale';
import type { AuditStore } from './audit-store';
import { immediate } from './db/transaction';
import { LedgerError } from './errors';
import { actorInput, positiveId } from './input-schemas';
import { parseInput as parse } from './parse-input';

/**
 * Refunds and voids (migration 11). Code has no refund API: a refund is
 * what the shop handed back against a sale that took money (cash from the
 * drawer, sent back from the shop's Code wallet, another way), written with
 * the sale's refunded amount and its audit entry in one IMMEDIATE
 * transaction. A void closes an open sale (pending or partly paid): its
 * waiting Code payment is cancelled, everything it took is handed back as
 * refunds, and the sale is cancelled, voided, by the person, all in one
 * transaction. Every check is made inside the transaction, so a refusal
 * writes nothing and two tills can never refund the same money twice (the
 * schema's CHECK refunded_amount <= paid_amount holds it too).
 */

const actor = actorInput;
const note = z.string().trim().min(1, 'cannot be empty').max(MAX_REFUND_NOTE, `at most ${MAX_REFUND_NOTE} characters`);
const refundInput = z
  .object({
    saleId: positiveId,
    amount: z.number().int('must be a whole number of hundredths').positive('must be more than zero').max(MAX_AMOUNT_HUNDREDTHS),
    method: z.enum(REFUND_METHODS),
    note: note.nullish(),
    by: actor,
  })
  .strict();
const voidInput = z
  .object({ saleId: positiveId, reason: note, method: z.enum(REFUND_METHODS).optional(), note: note.nullish(), by: actor })
  .strict();

export interface RefundInput {
  saleId: number;
  /** Integer hundredths of the sale's currency. */
  amount: number;
  method: RefundMethod;
  /** Required for 'code' and 'other': to whom, or how, it went back. */
  note?: string | null;
  by: Actor;
}

export interface VoidInput {
  saleId: number;
  reason: string;
  /** How what was taken goes back: one method for all of it; absent, each kind of tender goes back its own way (cash as cash). */
  method?: RefundMethod;
  note?: string | null;
  by: Actor;
}

/** A row of refunds (REFUND_COLUMNS); the shop database's rows take this shape too (../shop-db/shop-sale-rows.ts). */
export interface RefundRow {
  id: number;
  sale_id: number;
  amount: number;
  currency: string;
  mode: Mode;
  method: RefundMethod;
  note: string | null;
  person_id: number;
  person_name: string | null;
  shift_id: number | null;
  void_of_sale: number;
  created_at: number;
}

interface SaleFacts {
  id: number;
  status: 'pending' | 'paid' | 'cancelled' | 'expired';
  currency: string;
  mode: Mode;
  paid_amount: number;
  refunded_amount: number;
  code_amount: number;
  cash_amount: number;
  other_amount: number;
}

const REFUND_COLUMNS =
  'id, sale_id, amount, currency, mode, method, note, person_id, (SELECT name FROM people WHERE id = person_id) AS person_name, shift_id, void_of_sale, created_at';

export const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  saleId: r.sale_id,
  amount: r.amount,
  currency: r.currency,
  mode: r.mode,
  method: r.method,
  note: r.note,
  personId: r.person_id,
  personName: r.person_name ?? '',
  shiftId: r.shift_id,
  voidOfSale: r.void_of_sale === 1,
  createdAt: r.created_at,
});

export interface RefundStoreOptions {
  db: Database.Database;
  now: () => number;
  ensureOpen: () => void;
  audit: AuditStore;
  /** The sale as the sales store reads it (with its tenders and refunded amount). */
  getSale: (saleId: number) => Sale;
}

export type RefundStore = ReturnType<typeof createRefundStore>;

export function createRefundStore({ db, now, ensureOpen, audit, getSale }: RefundStoreOptions) {
  const stmt = {
    sale: db.prepare(
      'SELECT id, status, currency, mode, paid_amount, refunded_amount, code_amount, cash_amount, other_amount FROM sales WHERE id = ?',
    ),
    openShift: db.prepare('SELECT id FROM shifts WHERE closed_at IS NULL'),
    insert: db.prepare(
      `INSERT INTO refunds (sale_id, amount, currency, mode, method, note, person_id, shift_id, void_of_sale, created_at)
       VALUES (@saleId, @amount, @currency, @mode, @method, @note, @personId, @shiftId, @voidOfSale, @now)`,
    ),
    addRefunded: db.prepare('UPDATE sales SET refunded_amount = refunded_amount + @amount, updated_at = @now WHERE id = @id'),
    byId: db.prepare(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE id = ?`),
    bySale: db.prepare(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE sale_id = ? ORDER BY id`),
    pendingTender: db.prepare(`SELECT id FROM tenders WHERE sale_id = ? AND status = 'pending'`),
    cancelTender: db.prepare(`UPDATE tenders SET status = 'cancelled', cancelled_at = @now, updated_at = @now WHERE id = @id`),
    voidSale: db.prepare(
      `UPDATE sales SET status = 'cancelled', awaiting_tip = 0, cancelled_at = @now, voided_at = @now, closed_by = @by, updated_at = @now
       WHERE id = @id AND status = 'pending'`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO payment_events (sale_id, tender_id, source, kind, outcome, received_at, payload)
       VALUES (@saleId, @tenderId, 'manual', @kind, 'cancelled', @now, @payload)`,
    ),
  };

  function write<T>(fn: () => T): T {
    ensureOpen();
    return immediate(db, fn);
  }

  function saleFacts(id: number): SaleFacts {
    const row = stmt.sale.get(id) as SaleFacts | undefined;
    if (!row) throw new LedgerError('not-found', `No sale #${id}.`);
    return row;
  }

  const money = (sale: SaleFacts, n: number) => `${formatMoney(n, sale.currency)} ${sale.currency.toUpperCase()}`;
  const openShiftId = () => (stmt.openShift.get() as { id: number } | undefined)?.id ?? null;

  function refundRow(id: number): RefundRow {
    const row = stmt.byId.get(id) as RefundRow | undefined;
    if (!row) throw new LedgerError('not-found', `No refund #${id}.`);
    return row;
  }

  /** Checks one refund's method, note and shift; returns the shift it belongs to. */
  function checkWay(method: RefundMethod, noteText: string | null, saleId: number): number | null {
    if (method !== 'cash' && !noteText) {
      throw new LedgerError(
        'note-needed',
        method === 'code'
          ? `A refund sent back by Code needs a note saying to whom it went (sale #${saleId}).`
          : `A refund made another way needs a note saying how (sale #${saleId}).`,
      );
    }
    const shiftId = openShiftId();
    if (method === 'cash' && shiftId === null) {
      throw new LedgerError('no-shift', `A cash refund comes out of the drawer: open a shift first (sale #${saleId}).`);
    }
    return shiftId;
  }

  function insertRefund(sale: SaleFacts, r: { amount: number; method: RefundMethod; note: string | null; by: Actor; shiftId: number | null; voidOfSale: boolean }, at: number): Refund {
    const info = stmt.insert.run({
      saleId: sale.id,
      amount: r.amount,
      currency: sale.currency,
      mode: sale.mode,
      method: r.method,
      note: r.note,
      personId: r.by.id,
      shiftId: r.shiftId,
      voidOfSale: r.voidOfSale ? 1 : 0,
      now: at,
    });
    stmt.addRefunded.run({ id: sale.id, amount: r.amount, now: at });
    return toRefund(refundRow(Number(info.lastInsertRowid)));
  }

  /**
   * Records money handed back against a sale that took some and is closed
   * (paid, or closed with money taken): at most what it can still refund.
   * An open sale is voided instead. Cash needs an open shift (it leaves that
   * drawer); Code and other need a note. With its audit entry, in one transaction.
   */
  function record(input: RefundInput): { sale: Sale; refund: Refund } {
    const r = parse(refundInput, input, 'refund');
    const noteText = r.note ?? null;
    return write(() => {
      const sale = saleFacts(r.saleId);
      if (sale.status === 'pending') {
        throw new LedgerError('invalid-transition', `Sale #${sale.id} is still open: void it to close it and hand back what it took.`);
      }
      if (sale.paid_amount === 0) throw new LedgerError('invalid-transition', `Sale #${sale.id} took no money: there is nothing to refund.`);
      const left = sale.paid_amount - sale.refunded_amount;
      if (left === 0) throw new LedgerError('too-much', `Sale #${sale.id} is already refunded in full (${money(sale, sale.refunded_amount)}).`, { refundable: 0 });
      if (r.amount > left) {
        throw new LedgerError('too-much', `Sale #${sale.id} can still be refunded ${money(sale, left)} at most, not ${money(sale, r.amount)}.`, { refundable: left });
      }
      const shiftId = checkWay(r.method, noteText, sale.id);
      const at = now();
      const refund = insertRefund(sale, { amount: r.amount, method: r.method, note: noteText, by: r.by, shiftId, voidOfSale: false }, at);
      audit.append({
        action: 'refund',
        actor: r.by,
        summary: `Refund ${money(sale, r.amount)} (${REFUND_METHOD_WORDS[r.method].toLowerCase()}) on sale #${sale.id}`,
        detail: { refundId: refund.id, amount: r.amount, currency: sale.currency, method: r.method, note: noteText, refundedInAll: sale.refunded_amount + r.amount },
        saleId: sale.id,
        shiftId,
      });
      return { sale: getSale(sale.id), refund };
    });
  }

  /**
   * What a void hands back, by method: one method for everything left to
   * refund, or each kind of tender its own way (cash as cash, Code as
   * "sent back by Code", other as other).
   */
  function voidParts(sale: SaleFacts, method: RefundMethod | undefined): Array<{ method: RefundMethod; amount: number }> {
    const left = sale.paid_amount - sale.refunded_amount;
    if (left <= 0) return [];
    if (method) return [{ method, amount: left }];
    const parts: Array<{ method: RefundMethod; amount: number }> = [];
    let rest = left;
    for (const [kind, taken] of [
      ['cash', sale.cash_amount],
      ['code', sale.code_amount],
      ['other', sale.other_amount],
    ] as const) {
      const amount = Math.min(taken, rest);
      if (amount > 0) parts.push({ method: kind, amount });
      rest -= amount;
    }
    return parts;
  }

  /**
   * Closes an open sale for good: its waiting Code payment is cancelled,
   * what it took is handed back (refunds marked as the void's), and it is
   * cancelled with when and by whom it was voided, with one event in its log
   * and the audit entry. A closed sale is refused: a paid one is refunded instead.
   */
  function voidSale(input: VoidInput): { sale: Sale; refunds: Refund[] } {
    const v = parse(voidInput, input, 'void');
    const noteText = v.note ?? null;
    return write(() => {
      const sale = saleFacts(v.saleId);
      if (sale.status !== 'pending') {
        throw new LedgerError(
          'invalid-transition',
          sale.status === 'paid' ? `Sale #${sale.id} is paid: refund it instead of voiding it.` : `Sale #${sale.id} is ${sale.status} already: only an open sale can be voided.`,
        );
      }
      const parts = voidParts(sale, v.method);
      // Every part's note first, then the drawer: the manager hears what is missing in one order.
      for (const part of parts) if (part.method !== 'cash') checkWay(part.method, noteText, sale.id);
      let shiftId: number | null = openShiftId();
      for (const part of parts) shiftId = checkWay(part.method, noteText, sale.id);
      const at = now();
      const pending = stmt.pendingTender.get(sale.id) as { id: number } | undefined;
      if (pending) stmt.cancelTender.run({ id: pending.id, now: at });
      const refunds = parts.map((part) => insertRefund(sale, { ...part, note: noteText, by: v.by, shiftId, voidOfSale: true }, at));
      stmt.voidSale.run({ id: sale.id, by: v.by.id, now: at });
      const handedBack = parts.reduce((n, p) => n + p.amount, 0);
      stmt.insertEvent.run({
        saleId: sale.id,
        tenderId: pending?.id ?? null,
        kind: `void: ${v.reason}`,
        payload: JSON.stringify({ reason: v.reason, by: v.by.name, handedBack }),
        now: at,
      });
      const backWords = refunds.map((r) => `${money(sale, r.amount)} ${REFUND_METHOD_WORDS[r.method].toLowerCase()}`).join(', ');
      audit.append({
        action: 'sale-voided',
        actor: v.by,
        summary: `Voided sale #${sale.id}: ${v.reason}${refunds.length ? ` (handed back ${backWords})` : ''}`,
        detail: {
          reason: v.reason,
          handedBack,
          currency: sale.currency,
          refunds: refunds.map((r) => ({ id: r.id, amount: r.amount, method: r.method })),
          note: noteText,
          cancelledTenderId: pending?.id ?? null,
        },
        saleId: sale.id,
        shiftId,
      });
      return { sale: getSale(sale.id), refunds };
    });
  }

  function listBySale(saleId: unknown): Refund[] {
    ensureOpen();
    return (stmt.bySale.all(parse(positiveId, saleId, 'sale id')) as RefundRow[]).map(toRefund);
  }

  function get(refundId: unknown): Refund {
    ensureOpen();
    return toRefund(refundRow(parse(positiveId, refundId, 'refund id')));
  }

  return { record, voidSale, listBySale, get };
}
