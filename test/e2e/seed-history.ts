// Live sales from the last two weeks, written into a data directory before
// the app starts, as earlier days' trading would have left them: Code
// payments (one, or several for a sale above Code's maximum), cash with
// change, a card on another terminal, a sale left partly paid.
import bs58 from 'bs58';
import { createLedger } from '../../electron/core/ledger/ledger';
import { randomAddress } from '../support/temp-dir';

export const DAY = 86_400_000;

export interface SeededSales {
  coffee: number;
  croissant: number;
  cancelled: number;
  late: number;
  /** 2.50: a Code payment of 1.00, then 5.00 in cash (change 3.50). */
  mixed: number;
  /** 4.00 by card on another terminal. */
  card: number;
  /** 3.00: one Code payment of 1.00, the rest never taken. */
  partly: number;
  oldPaid: number;
  oldExpired: number;
}

export function seedHistory(dataDir: string): SeededSales {
  let clock = Date.now() - 2 * DAY;
  const ledger = createLedger({ dir: dataDir, now: () => clock });
  const destination = randomAddress();
  const intent = () => bs58.encode(Buffer.from(randomAddress().slice(0, 32)));
  /** A Code payment asked for (written with its intent), 30 s for the customer, and its tender id. */
  const codeTender = (saleId: number, amount: number) => {
    const seq = (ledger.getSale(saleId).tenders.at(-1)?.seq ?? 0) + 1;
    const { tender } = ledger.addCodeTender(saleId, { amount, seq, intentId: intent() });
    clock += 30_000;
    return tender.id;
  };
  const proof = (tenderId: number, quarks = 123_456_789) =>
    ledger.recordProof({ tenderId, source: 'webhook', quarks, exchangeRate: 0.0000101, payload: 'eyJhbGciOiJFZERTQSJ9.e30.sig' });
  const sale = (amount: number, currency: string, at: number, take: (id: number) => void) => {
    clock = at;
    const s = ledger.createSale({ amount, currency, mode: 'live', destination });
    take(s.id);
    return s.id;
  };
  const paidByCode = (amount: number) => (id: number) => proof(codeTender(id, amount));
  const twoDaysAgo = Date.now() - 2 * DAY;
  const seeded: SeededSales = {
    coffee: sale(1250, 'usd', twoDaysAgo, paidByCode(1250)),
    croissant: sale(500, 'eur', twoDaysAgo + 60_000, paidByCode(500)),
    cancelled: sale(300, 'usd', twoDaysAgo + 120_000, (id) => {
      codeTender(id, 300);
      ledger.cancel(id);
    }),
    late: sale(875, 'usd', twoDaysAgo + 180_000, (id) => {
      const tender = codeTender(id, 875);
      ledger.cancel(id);
      proof(tender);
    }),
    mixed: sale(250, 'usd', twoDaysAgo + 240_000, (id) => {
      proof(codeTender(id, 100), 9_900_990);
      ledger.addCashTender(id, { tendered: 500 });
    }),
    card: sale(400, 'usd', twoDaysAgo + 300_000, (id) => {
      ledger.addOtherTender(id, { amount: 400, label: 'Card' });
    }),
    partly: sale(300, 'usd', twoDaysAgo + 360_000, (id) => {
      proof(codeTender(id, 100), 9_900_990);
      // The next Code payment was asked for, and the customer walked away.
      ledger.cancelTender(codeTender(id, 100), { reason: 'customer left' });
    }),
    oldPaid: sale(999, 'usd', Date.now() - 12 * DAY, paidByCode(999)),
    oldExpired: sale(100, 'usd', Date.now() - 12 * DAY + 60_000, (id) => {
      codeTender(id, 100);
      // Expires what is still open from before now: only this sale is.
      ledger.expirePendingBefore(clock + 1);
    }),
  };
  ledger.close();
  return seeded;
}
