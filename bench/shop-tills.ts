/**
 * A shop's tills for the shop view's bench: each a ledger on a clock the
 * bench moves, trading for weeks through the ledger's own calls (so the
 * outbox triggers fire as in the app and every record the sync carries is
 * there: tenders, proofs, tips, cash and its drawer openings, splits, part
 * payments, cancels, late payments, expiries, voids, refunds of older sales,
 * "No sale"), then pushed whole to the shop database as the sync worker
 * would send it.
 *
 * The sales are made by test/support/shop-report-tills.ts's trader (which
 * the shop view's test holds to the ledger), in a real shop's mix; what differs is the clock: sales
 * fall in opening hours, busier on Saturdays and quieter on Sundays, so a
 * month holds a realistic share of the sales and one day stands out as busy.
 */
import { createLedger, type Ledger } from '../electron/core/ledger/ledger';
import { addDays, startOfLocalDay } from '../electron/shared/domain/local-days';
import { prng } from '../test/support/prng';
import { saleTrader, TEST_MIX, type TradeMix } from '../test/support/shop-report-tills';

export { pushAll } from '../test/support/shop-report-tills';

const HOUR_MS = 3_600_000;
/** Opening hours, local: 08:00 to 20:00. */
const OPENS_AT_HOUR = 8;
const OPEN_HOURS = 12;
/** A real shop's trade: mostly live, mostly dollars, most sales paid; refunds and "No sale" now and then. */
const BENCH_MIX: TradeMix = {
  ...TEST_MIX,
  usd: 0.8,
  live: 0.9,
  outcome: [0.5, 0.7, 0.78, 0.8, 0.87, 0.93, 0.96],
  late: 0.1,
  refund: 0.03,
  noSale: 0.01,
  noSaleLive: 1,
};
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
  const trader = saleTrader(fill, random, options.seed, BENCH_MIX);
  for (const [i, at] of times.entries()) {
    clock = at;
    trader.sell(i, clock);
  }
  // Closed (PRAGMA optimize, as the app runs on quit) and opened again as the app opens it.
  fill.close();
  return createLedger({ dir, timeZone: options.timeZone, now: () => clock });
}
