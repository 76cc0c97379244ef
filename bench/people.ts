/**
 * `npm run bench -- people`: what people and shifts cost the till.
 *
 * - A PIN check is scrypt (N = 2^15, r = 8): its time is the sign-in's
 *   floor, and it must run off the main thread, or a sign-in would hold up
 *   the webhook listener and the screens. The event loop's longest stall
 *   while eight checks run at once shows that it does.
 * - The Z-report is worked out from the ledger on every look at the shift
 *   screen and once more, inside its transaction, at the close: its time on
 *   a long shift (BENCH_SHIFT_SALES, 5,000 sales unless told, with cash,
 *   Code and card tenders and a refund in twenty) is what a manager waits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import bs58 from 'bs58';
import { silentLogger } from '../electron/core/app/logger';
import { createLedger } from '../electron/core/ledger/ledger';
import { hashPin, verifyPinHash } from '../electron/core/people/pin-hash';
import { createPeopleService } from '../electron/core/people/people-service';
import { createShiftService } from '../electron/core/shifts/shift-service';
import { formatCount, formatLatency, formatMs, formatRate, timeAsyncRuns, type BenchRow } from './bench-table';

const PIN = '2580';

async function benchPins(): Promise<BenchRow[]> {
  const hashes = await timeAsyncRuns(() => hashPin(PIN), 10);
  const stored = await hashPin(PIN);
  await verifyPinHash(PIN, stored);
  const checks = await timeAsyncRuns(() => verifyPinHash(PIN, stored), 40);

  // Eight checks at once, with the event loop's delays recorded meanwhile,
  // and the same recording over as long with nothing running, to compare.
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 300));
  idle.disable();
  const single = monitorEventLoopDelay({ resolution: 1 });
  single.enable();
  for (let i = 0; i < 5; i++) await verifyPinHash(PIN, stored);
  single.disable();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, (_, i) => verifyPinHash(i % 2 ? PIN : '9999', stored)));
  const together = performance.now() - started;
  delay.disable();

  return [
    { metric: 'hash a new PIN (scrypt N=2^15, r=8)', value: formatLatency(hashes), note: '10 runs' },
    { metric: 'check a PIN (one sign-in)', value: formatLatency(checks), note: '40 runs, one at a time' },
    { metric: '8 PIN checks at once', value: formatMs(together), note: "libuv's thread pool (4 threads by default) runs them" },
    {
      metric: 'longest event-loop stall during sign-ins',
      value: formatMs(single.max / 1e6),
      note: 'five PIN checks one after the other, as at the lock screen',
    },
    {
      metric: 'longest event-loop stall during the 8 at once',
      value: formatMs(delay.max / 1e6),
      note: `idle, over 300 ms: ${formatMs(idle.max / 1e6)}. The checks run off the main thread; on 2 cores the pool's threads compete with it for CPU`,
    },
  ];
}

async function benchShiftReport(): Promise<BenchRow[]> {
  const sales = Number(process.env.BENCH_SHIFT_SALES ?? 5_000);
  const dir = mkdtempSync(join(tmpdir(), 'counter-bench-people-'));
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  try {
    const people = createPeopleService({ ledger, logger: silentLogger });
    const owner = await people.createOwner('Owner', PIN);
    const shifts = createShiftService({ ledger, config: () => ({ mode: 'sandbox', currency: 'usd' }), logger: silentLogger });
    const shift = shifts.open(owner, 20_000);
    const destination = bs58.encode(randomBytes(32));

    const filled = performance.now();
    ledger.database.transaction(() => {
      for (let i = 0; i < sales; i++) {
        const amount = 100 + ((i * 7919) % 9_900);
        const sale = ledger.createSale({ amount, currency: 'usd', mode: 'sandbox', destination, personId: owner.id });
        if (i % 3 === 0) ledger.addCashTender(sale.id, { tendered: amount + (i % 5) * 100, personId: owner.id });
        else if (i % 3 === 1) ledger.addOtherTender(sale.id, { amount, label: i % 2 ? 'Card' : 'Voucher', personId: owner.id });
        else {
          const { tender } = ledger.addCodeTender(sale.id, { amount, personId: owner.id });
          ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: 'bench' });
        }
        if (i % 20 === 0) ledger.refunds.record({ saleId: sale.id, amount: Math.ceil(amount / 2), method: 'cash', by: owner });
      }
    })();
    const fillMs = performance.now() - filled;

    const live = await timeAsyncRuns(async () => shifts.report(shift.id), 20);
    const closeStart = performance.now();
    const closed = shifts.close(owner, 123_456);
    const closeMs = performance.now() - closeStart;
    const kept = await timeAsyncRuns(async () => shifts.report(shift.id), 20);

    return [
      { metric: 'shift filled', value: `${formatCount(sales)} sales`, note: `${formatRate(sales, fillMs, 'sales')} in one transaction (setup, not a measure of the till)` },
      { metric: 'Z-report of the open shift', value: formatLatency(live), note: '20 runs: what the shift screen waits for' },
      { metric: 'close the shift', value: formatMs(closeMs), note: `one transaction: the report worked out again, frozen and audited (over/short ${closed.cash.overShort})` },
      { metric: 'Z-report of the closed shift', value: formatLatency(kept), note: 'read back from the kept JSON' },
    ];
  } finally {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPeople(): Promise<BenchRow[]> {
  return [...(await benchPins()), ...(await benchShiftReport())];
}
