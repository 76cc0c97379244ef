/**
 * A shop's tills for the shop view's bench: each a ledger on a clock the
 * bench moves, trading for weeks through the ledger's own calls (so the
 * outbox triggers fire as in the app and every record the sync carries is
 * there: tenders, proofs, tips, cash and its drawer openings, splits, part
 * payments, cancels, late payments, expiries, voids, refunds of older sales,
 * "No sale"), then pushed whole to the shop database as the sync worker
 * would send it.
 *
 * The sale shapes are those of test/support/shop-report-tills.ts (which the
 * shop view's test holds to the ledger); what differs is the clock: sales
 * fall in opening hours, busier on Saturdays and quieter on Sundays, so a
 * month holds a realistic share of the sales and one day stands out as busy.
 */
import bs58 from 'bs58';
import { createLedger, type Ledger } from '../electron/core/ledger/ledger';
import type { ShopDatabase, SyncTill } from '../electron/core/sync/sync-record';
import { toSyncRecords } from '../electron/core/sync/sync-worker';
import { addDays, startOfLocalDay } from '../electron/shared/domain/local-days';
import { prng } from '../test/support/prng';
import { openTill } from '../test/support/sync-sales';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Opening hours, local: 08:00 to 20:00. */
const OPENS_AT_HOUR = 8;
const OPEN_HOURS = 12;
/** How busy each weekday is (Sunday first), relative to the others. */
const WEEKDAY_WEIGHT = [0.6, 0.9, 0.9, 1, 1.1, 1.3, 1.6] as const;

export interface TradeOptions {
  timeZone: string;
  /** The first and last local dates traded, both inclusive. */
  from: string;
  to: string;
  sales: number;
  seed: number;
}

/**
 * When each of `sales` sales is made: every day from `from` to `to` gets its
 * share by its weekday's weight (±20 %), spread over opening hours, sorted.
 */
function saleTimes({ timeZone, from, to, sales, seed }: TradeOptions): number[] {
  const random = prng(seed ^ 0x5a1e5);
  const days: { start: number; weight: number }[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    days.push({ start: startOfLocalDay(date, timeZone), weight: WEEKDAY_WEIGHT[weekday]! * (0.8 + 0.4 * random()) });
  }
  const total = days.reduce((sum, d) => sum + d.weight, 0);
  const times: number[] = [];
  let owed = 0;
  for (const day of days) {
    owed += (sales * day.weight) / total;
    const count = Math.round(owed) - times.length;
    // Opening hours counted from local midnight: a clock change that morning shifts them by an hour, as it does the shop's staff.
    for (let i = 0; i < count; i++) times.push(day.start + OPENS_AT_HOUR * HOUR_MS + Math.floor(random() * OPEN_HOURS * HOUR_MS));
  }
  return times.sort((a, b) => a - b);
}

/**
 * A ledger in `dir` that has traded `sales` sales from `from` to `to`, and
 * is left open. Seeded, so a run replays. The fill runs with
 * `synchronous = OFF` (a bench shortcut: the rows are the app's, only the
 * fsync per transaction is skipped); the ledger is reopened with the app's
 * pragmas before anything is measured.
 */
export function tradeTill(dir: string, options: TradeOptions): Ledger {
  const times = saleTimes(options);
  let clock = times[0]!;
  const fill = createLedger({ dir, timeZone: options.timeZone, now: () => clock });
  fill.database.pragma('synchronous = OFF');
  const random = prng(options.seed);
  const { owner } = openTill(fill, random);
  const by = { id: owner.id, name: owner.name, role: owner.role };
  const intent = () => bs58.encode(Buffer.from(Array.from({ length: 32 }, () => Math.floor(random() * 256))));
  const code = (saleId: number, amount: number) => {
    const seq = fill.getSale(saleId).tenders.length + 1;
    return fill.addCodeTender(saleId, { amount, seq, intentId: intent() }).tender;
  };
  const prove = (tenderId: number, amount: number) =>
    fill.recordProof({ tenderId, source: 'webhook', quarks: amount * 10_000, exchangeRate: 0.5 + Math.floor(random() * 100) / 100, payload: 'x' });
  const destination = bs58.encode(Buffer.alloc(32, 1 + (options.seed % 200)));
  const paid: number[] = [];

  for (const [i, at] of times.entries()) {
    clock = at;
    const currency = random() < 0.8 ? 'usd' : random() < 0.6 ? 'eur' : 'cad';
    const mode = random() < 0.9 ? 'live' : 'sandbox';
    const amount = random() < 0.5 ? [125, 500, 1250, 99, 2000][Math.floor(random() * 5)]! : 100 + Math.floor(random() * 20_000);
    const awaitingTip = random() < 0.2;
    const sale = fill.createSale({ amount, currency, mode, destination, awaitingTip });
    const tip = awaitingTip ? Math.floor(amount * random() * 0.3) : 0;
    if (awaitingTip) fill.setTip(sale.id, { amount: tip, percent: null, by: random() < 0.5 ? 'customer' : 'cashier' });
    const due = amount + tip;
    clock += 20_000;
    const roll = random();
    if (roll < 0.5) {
      prove(code(sale.id, due).id, due);
      paid.push(sale.id);
    } else if (roll < 0.7) {
      const { tender } = fill.addCashTender(sale.id, { tendered: due + Math.floor(random() * 1_000) });
      fill.printing.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id });
      paid.push(sale.id);
    } else if (roll < 0.78) {
      const part = Math.max(1, Math.floor(due / 3));
      prove(code(sale.id, part).id, part);
      fill.addOtherTender(sale.id, { amount: due - part, label: 'Card' });
      paid.push(sale.id);
    } else if (roll < 0.8) {
      // Partly paid, and left so: it never expires.
      fill.addCashTender(sale.id, { tendered: Math.max(1, Math.floor(due / 2)) });
    } else if (roll < 0.87) {
      const tender = code(sale.id, due);
      fill.cancel(sale.id);
      // Now and then its payment lands after all: paid late.
      if (random() < 0.1) prove(tender.id, due);
    } else if (roll < 0.93) {
      // Its Code payment waits: a later sweep expires it, unless it is among the last few.
      code(sale.id, due);
    } else if (roll < 0.96) {
      if (random() < 0.5) fill.addCashTender(sale.id, { tendered: Math.max(1, Math.floor(due / 4)) });
      fill.refunds.voidSale({ saleId: sale.id, reason: 'customer left', by });
    }
    // else: rung up and left open with nothing taken.

    // A refund of an earlier paid sale, made now: counted by when it was made.
    if (paid.length && random() < 0.03) {
      const saleId = paid[Math.floor(random() * paid.length)]!;
      const s = fill.getSale(saleId);
      const left = s.paidAmount - s.refundedAmount;
      if (left > 0) {
        const method = random() < 0.5 ? 'cash' : 'other';
        fill.refunds.record({ saleId, amount: 1 + Math.floor(random() * left), method, note: method === 'cash' ? null : 'back on the card', by });
      }
    }
    if (random() < 0.01) fill.printing.openDrawer({ reason: 'no-sale', mode: 'live', personId: owner.id });
    if (i % 25 === 24) fill.expirePendingBefore(clock - 30 * MINUTE_MS);
  }
  // Closed (PRAGMA optimize, as the app runs on quit) and opened again as the app opens it.
  fill.close();
  return createLedger({ dir, timeZone: options.timeZone, now: () => clock });
}

/** Every waiting outbox row pushed to `shop` and acknowledged, `batchRows` at a time, as the sync worker does. */
export async function pushAll(ledger: Ledger, shop: ShopDatabase, names: Omit<SyncTill, 'id'>, batchRows: number): Promise<number> {
  const id = ledger.outbox.tillId();
  let rows = 0;
  for (let batch = ledger.outbox.nextBatch(batchRows); batch; batch = ledger.outbox.nextBatch(batchRows)) {
    await shop.push({ id, ...names }, toSyncRecords(id, batch.records));
    ledger.outbox.ack(batch);
    rows += batch.rows;
  }
  return rows;
}
