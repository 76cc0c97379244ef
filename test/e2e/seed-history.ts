// Live sales from the last two weeks, written into a data directory before
// the app starts, as earlier days' trading would have left them.
import bs58 from 'bs58';
import { createLedger } from '../../electron/core/ledger/ledger';
import { randomAddress } from '../support/temp-dir';

export const DAY = 86_400_000;

export interface SeededSales {
  coffee: number;
  croissant: number;
  cancelled: number;
  late: number;
  oldPaid: number;
  oldExpired: number;
}

export function seedHistory(dataDir: string): SeededSales {
  let clock = Date.now() - 2 * DAY;
  const ledger = createLedger({ dir: dataDir, now: () => clock });
  const destination = randomAddress();
  const sale = (amount: number, currency: string, at: number, end: (id: number) => void) => {
    clock = at;
    const s = ledger.createSale({ amount, currency, mode: 'live', destination });
    ledger.attachIntent(s.id, { intentId: bs58.encode(Buffer.from(randomAddress().slice(0, 32))) });
    clock += 30_000;
    end(s.id);
    return s.id;
  };
  const paid = (id: number) => ledger.recordProof({ saleId: id, source: 'webhook', quarks: 123_456_789, exchangeRate: 0.0000101, payload: 'eyJhbGciOiJFZERTQSJ9.e30.sig' });
  const twoDaysAgo = Date.now() - 2 * DAY;
  const seeded = {
    coffee: sale(1250, 'usd', twoDaysAgo, paid),
    croissant: sale(500, 'eur', twoDaysAgo + 60_000, paid),
    cancelled: sale(300, 'usd', twoDaysAgo + 120_000, (id) => ledger.cancel(id)),
    late: sale(875, 'usd', twoDaysAgo + 180_000, (id) => {
      ledger.cancel(id);
      paid(id);
    }),
    oldPaid: sale(999, 'usd', Date.now() - 12 * DAY, paid),
    oldExpired: sale(100, 'usd', Date.now() - 12 * DAY + 60_000, (id) => ledger.expire(id)),
  };
  ledger.close();
  return seeded;
}
