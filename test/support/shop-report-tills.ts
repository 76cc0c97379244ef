/**
 * Tills for the shop view's tests: a ledger on a clock the test moves, days
 * of trade in both modes and three currencies (every state a sale can end
 * in, tips, cash with its drawer openings, "No sale", refunds of older sales
 * and voids), and a push of the whole outbox to the shop database as the
 * sync worker would send it.
 */
import bs58 from 'bs58';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import type { Person } from '../../electron/shared/domain/people';
import type { ShopDatabase, SyncTill } from '../../electron/core/sync/sync-record';
import { toSyncRecords } from '../../electron/core/sync/sync-worker';
import { prng } from './prng';
import { openTill } from './sync-sales';

const MINUTE_MS = 60_000;

export interface TradingTill {
  ledger: Ledger;
  owner: Person;
}

/**
 * How often each thing happens to a sale: `outcome` holds the upper bounds
 * of one roll (Code in full, cash, a Code and card split, a part payment
 * left so, cancelled, a Code payment left waiting, voided; above the last:
 * left open with nothing taken), the rest are chances on their own.
 */
export interface TradeMix {
  /** Chances of usd, then of eur among the rest (else cad). */
  usd: number;
  eur: number;
  live: number;
  outcome: readonly [code: number, cash: number, split: number, part: number, cancel: number, waiting: number, voided: number];
  /** A cancelled sale's Code payment lands after all. */
  late: number;
  /** A refund of an earlier paid sale after this one. */
  refund: number;
  noSale: number;
  /** A "No sale" in live mode (else sandbox). */
  noSaleLive: number;
}

/** The tests' trade: every state often, so each filter and report finds some. */
export const TEST_MIX: TradeMix = {
  usd: 0.6,
  eur: 0.6,
  live: 0.75,
  outcome: [0.35, 0.5, 0.58, 0.64, 0.72, 0.8, 0.86],
  late: 0.3,
  refund: 0.12,
  noSale: 0.04,
  noSaleLive: 0.7,
};

/**
 * One sale after another on `ledger` (at the ledger's clock, which the
 * caller moves), through the ledger's own calls so the outbox triggers fire
 * as in the app: tips, every tender, cash and its drawer openings, splits,
 * part payments, cancels, late payments, waiting Code payments (expired by
 * a sweep every 25 sales), voids, refunds of older sales, "No sale".
 */
export function saleTrader(ledger: Ledger, random: () => number, seed: number, mix: TradeMix): { owner: Person; sell(i: number, now: number): void } {
  const { owner } = openTill(ledger, random);
  const by = { id: owner.id, name: owner.name, role: owner.role };
  const intent = () => bs58.encode(Buffer.from(Array.from({ length: 32 }, () => Math.floor(random() * 256))));
  const code = (saleId: number, amount: number) => {
    const seq = ledger.getSale(saleId).tenders.length + 1;
    return ledger.addCodeTender(saleId, { amount, seq, intentId: intent() }).tender;
  };
  const prove = (tenderId: number, amount: number) =>
    ledger.recordProof({ tenderId, source: 'webhook', quarks: amount * 10_000, exchangeRate: 0.5 + Math.floor(random() * 100) / 100, payload: 'x' });
  const destination = bs58.encode(Buffer.alloc(32, 1 + (seed % 200)));
  const paid: number[] = [];
  const [codeIn, cashIn, splitIn, partIn, cancelIn, waitingIn, voidIn] = mix.outcome;

  const sell = (i: number, now: number) => {
    const currency = random() < mix.usd ? 'usd' : random() < mix.eur ? 'eur' : 'cad';
    const mode = random() < mix.live ? 'live' : 'sandbox';
    // A few common prices, so an amount search finds sales on several tills.
    const amount = random() < 0.5 ? [125, 500, 1250, 99, 2000][Math.floor(random() * 5)]! : 100 + Math.floor(random() * 20_000);
    const awaitingTip = random() < 0.2;
    const sale = ledger.createSale({ amount, currency, mode, destination, awaitingTip });
    const tip = awaitingTip ? Math.floor(amount * random() * 0.3) : 0;
    if (awaitingTip) ledger.setTip(sale.id, { amount: tip, percent: null, by: random() < 0.5 ? 'customer' : 'cashier' });
    const due = amount + tip;
    const roll = random();
    if (roll < codeIn) {
      prove(code(sale.id, due).id, due);
      paid.push(sale.id);
    } else if (roll < cashIn) {
      const { tender } = ledger.addCashTender(sale.id, { tendered: due + Math.floor(random() * 1_000) });
      ledger.printing.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id });
      paid.push(sale.id);
    } else if (roll < splitIn) {
      const part = Math.max(1, Math.floor(due / 3));
      prove(code(sale.id, part).id, part);
      ledger.addOtherTender(sale.id, { amount: due - part, label: 'Card' });
      paid.push(sale.id);
    } else if (roll < partIn) {
      // Partly paid, and left so: it never expires.
      ledger.addCashTender(sale.id, { tendered: Math.max(1, Math.floor(due / 2)) });
    } else if (roll < cancelIn) {
      const tender = code(sale.id, due);
      ledger.cancel(sale.id);
      // Now and then its payment lands after all: paid late.
      if (random() < mix.late) prove(tender.id, due);
    } else if (roll < waitingIn) {
      // Its Code payment waits: a later sweep expires it, unless it is among the last few.
      code(sale.id, due);
    } else if (roll < voidIn) {
      if (random() < 0.5) ledger.addCashTender(sale.id, { tendered: Math.max(1, Math.floor(due / 4)) });
      ledger.refunds.voidSale({ saleId: sale.id, reason: 'customer left', by });
    }
    // else: rung up and left open with nothing taken.

    // A refund of an earlier paid sale, made now: counted by when it was made.
    if (paid.length && random() < mix.refund) {
      const saleId = paid[Math.floor(random() * paid.length)]!;
      const s = ledger.getSale(saleId);
      const left = s.paidAmount - s.refundedAmount;
      if (left > 0) {
        const method = random() < 0.5 ? 'cash' : 'other';
        ledger.refunds.record({ saleId, amount: 1 + Math.floor(random() * left), method, note: method === 'cash' ? null : 'back on the card', by });
      }
    }
    if (random() < mix.noSale) ledger.printing.openDrawer({ reason: 'no-sale', mode: random() < mix.noSaleLive ? 'live' : 'sandbox', personId: owner.id });
    if (i % 25 === 24) ledger.expirePendingBefore(now - 30 * MINUTE_MS);
  };
  return { owner, sell };
}

/**
 * A ledger in `dir` that trades `sales` sales from `start`, a whole number of
 * minutes apart (0 to 70: several tills often sell in the same millisecond,
 * which the keyset order must break by till). Seeded, so a failure replays.
 */
export function tradingTill(dir: string, options: { timeZone: string; start: number; sales: number; seed: number }): TradingTill {
  let clock = options.start;
  const ledger = createLedger({ dir, timeZone: options.timeZone, now: () => clock });
  const random = prng(options.seed);
  const trader = saleTrader(ledger, random, options.seed, TEST_MIX);
  for (let i = 0; i < options.sales; i++) {
    clock += Math.floor(random() * 71) * MINUTE_MS;
    trader.sell(i, clock);
  }
  return { ledger, owner: trader.owner };
}

/** Every waiting outbox row pushed to `shop` and acknowledged, `batchRows` at a time, as the sync worker does; answers the rows sent. */
export async function pushAll(ledger: Ledger, shop: ShopDatabase, names: Omit<SyncTill, 'id'>, batchRows = 2_000): Promise<number> {
  const id = ledger.outbox.tillId();
  let rows = 0;
  for (let batch = ledger.outbox.nextBatch(batchRows); batch; batch = ledger.outbox.nextBatch(batchRows)) {
    await shop.push({ id, ...names }, toSyncRecords(id, batch.records));
    ledger.outbox.ack(batch);
    rows += batch.rows;
  }
  return rows;
}
